// Opens BPMN files in bpmn-js (the bpmn.io viewer, as Camunda Modeler and
// most web tools draw BPMN) in headless Chromium, for tests/e2e/bpmn.rs:
//
//   node bpmnjs.mjs FOLDER
//
// For every FOLDER/*.bpmn: `viewer.importXML` must resolve without warnings;
// the canvas must hold one shape per BPMNShape and one connection per
// BPMNEdge of the file, one participant and at least one lane; then
// `canvas.zoom('fit-viewport')` and a screenshot `bpmn-js-<name>.png` into
// $PROCFLOW_SCREENSHOTS (default target/screenshots/bpmn-js). Console
// errors, page errors and failed requests are failures too.
//
// The page is a tiny HTML file written into a temporary folder that loads
// the viewer bundle and its CSS from node_modules over file://; the XML is
// handed over as an argument of page.evaluate. Chromium is launched as
// tests/browser/e2e.mjs does (PROCFLOW_CHROMIUM, default /usr/bin/chromium).
//
// Prints one line per file (`ok` or `FAIL`); exits 1 if any file failed,
// 2 on a usage error.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { LAUNCH_ARGS, startWatchdog } from '../browser/chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const shotsDir = path.resolve(process.env.PROCFLOW_SCREENSHOTS || path.join(repoRoot, 'target/screenshots/bpmn-js'));
const executablePath = process.env.PROCFLOW_CHROMIUM || '/usr/bin/chromium';
const dist = path.join(here, 'node_modules/bpmn-js/dist');

// The whole run must end on its own, even if Chromium hangs.
startWatchdog('bpmnjs', 120);

const folder = process.argv[2];
if (!folder || !fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
  console.error('usage: node bpmnjs.mjs FOLDER (a folder of .bpmn files)');
  process.exit(2);
}
const files = fs
  .readdirSync(folder)
  .filter((f) => f.endsWith('.bpmn'))
  .sort();
if (files.length === 0) {
  console.error(`bpmnjs: no .bpmn file in ${folder}`);
  process.exit(2);
}

const pageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'procflow-bpmnjs-'));
const pageFile = path.join(pageDir, 'viewer.html');
const href = (file) => pathToFileURL(path.join(dist, file)).href;
fs.writeFileSync(
  pageFile,
  `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>bpmn-js</title>
<link rel="stylesheet" href="${href('assets/diagram-js.css')}">
<link rel="stylesheet" href="${href('assets/bpmn-js.css')}">
<style>html, body, #canvas { margin: 0; width: 100%; height: 100%; background: #fff; }</style>
</head>
<body>
<div id="canvas"></div>
<script src="${href('bpmn-viewer.production.min.js')}"></script>
<script>window.viewer = new BpmnJS({ container: '#canvas' });</script>
</body>
</html>
`,
);

// In the page: import, count, fit. Returns what was found.
async function importAndCount(xml) {
  const { warnings } = await window.viewer.importXML(xml);
  const DI = 'http://www.omg.org/spec/BPMN/20100524/DI';
  const MODEL = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const registry = window.viewer.get('elementRegistry');
  const canvas = window.viewer.get('canvas');
  const root = canvas.getRootElement();
  const drawn = registry.filter((e) => e.type !== 'label' && e !== root);
  return {
    warnings: warnings.map((w) => String(w.message).split('\n')[0]),
    expected: {
      shapes: doc.getElementsByTagNameNS(DI, 'BPMNShape').length,
      edges: doc.getElementsByTagNameNS(DI, 'BPMNEdge').length,
      lanes: doc.getElementsByTagNameNS(MODEL, 'lane').length,
    },
    shapes: drawn.filter((e) => !e.waypoints).length,
    edges: drawn.filter((e) => e.waypoints).length,
    participants: drawn.filter((e) => e.type === 'bpmn:Participant').length,
    lanes: drawn.filter((e) => e.type === 'bpmn:Lane').length,
    labels: registry.filter((e) => e.type === 'label').length,
    svgElements: document.querySelectorAll('#canvas svg .djs-element').length,
    inner: canvas.viewbox().inner,
  };
}

async function check(browser, file) {
  const name = path.basename(file, '.bpmn');
  const problems = [];
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text().split('\n')[0]}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  try {
    await page.goto(pathToFileURL(pageFile).href);
    const ready = await page.evaluate(() => typeof window.viewer?.importXML === 'function');
    if (!ready) throw new Error('bpmn-js did not load');
    const xml = fs.readFileSync(path.join(folder, file), 'utf8');
    const r = await page.evaluate(importAndCount, xml);
    for (const w of r.warnings) problems.push(`import warning: ${w}`);
    if (r.shapes === 0) problems.push('no shape on the canvas');
    if (r.shapes !== r.expected.shapes) problems.push(`${r.shapes} shapes drawn, the file has ${r.expected.shapes}`);
    if (r.edges !== r.expected.edges) problems.push(`${r.edges} flows drawn, the file has ${r.expected.edges}`);
    if (r.participants !== 1) problems.push(`${r.participants} pools drawn, expected 1`);
    if (r.lanes === 0 || r.lanes !== r.expected.lanes) problems.push(`${r.lanes} lanes drawn, the file has ${r.expected.lanes}`);
    if (r.svgElements < r.shapes + r.edges) problems.push(`only ${r.svgElements} SVG elements for ${r.shapes + r.edges} shapes and flows`);

    // A viewport of the diagram's proportions, so the fitted picture is legible.
    const width = Math.round(Math.min(Math.max(r.inner.width + 80, 800), 2400));
    const height = Math.round(Math.min(Math.max((width * (r.inner.height + 80)) / (r.inner.width + 80), 300), 1600));
    await page.setViewportSize({ width, height });
    await page.evaluate(() => {
      const canvas = window.viewer.get('canvas');
      canvas.resized();
      canvas.zoom('fit-viewport');
      // A small white margin around the pool.
      canvas.zoom(canvas.zoom() * 0.97, 'auto');
    });
    const shot = path.join(shotsDir, `bpmn-js-${name}.png`);
    await page.screenshot({ path: shot });
    const summary = `${r.shapes} shapes (${r.lanes} lanes), ${r.edges} flows, ${r.labels} labels; ${path.relative(process.cwd(), shot)}`;
    return { name, problems, summary };
  } catch (error) {
    problems.push(String(error.message || error).split('\n')[0]);
    return { name, problems, summary: '' };
  } finally {
    await context.close();
  }
}

fs.mkdirSync(shotsDir, { recursive: true });
const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, headless: true });
const version = JSON.parse(fs.readFileSync(path.join(here, 'node_modules/bpmn-js/package.json'), 'utf8')).version;
let failed = 0;
try {
  console.log(`bpmnjs: bpmn-js ${version} in Chromium ${browser.version()}, ${files.length} files from ${folder}`);
  for (const file of files) {
    const { name, problems, summary } = await check(browser, file);
    if (problems.length === 0) {
      console.log(`ok ${name}: ${summary}`);
    } else {
      failed += 1;
      for (const p of problems) console.log(`FAIL ${name}: ${p}`);
    }
  }
} finally {
  await browser.close();
  fs.rmSync(pageDir, { recursive: true, force: true });
}
console.log(`bpmnjs: ${files.length - failed} of ${files.length} files drawn without problems; screenshots in ${shotsDir}`);
process.exit(failed ? 1 : 0);
