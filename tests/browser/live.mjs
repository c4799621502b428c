// Live preview of `procflow serve` in a real browser (headless Chromium driven
// by playwright-core), run by tests/e2e/live_reload.rs against a server over a
// copy of the example project:
//
//   node tests/browser/live.mjs <base-url> <project-folder>
//
// Environment: PROCFLOW_SCREENSHOTS (folder for the screenshot, default
// target/screenshots), PROCFLOW_CHROMIUM (default /usr/bin/chromium).
//
// With workflows/incident-handling.html open and scrolled down, the script
// edits models/incident/workflow.yaml in the project folder and checks:
//   reload    a valid save reloads the page with the new text, at the same
//             scroll position (restored by live.js: the browser's own
//             scroll restoration is off), the diagram at the zoom and
//             position it was viewed at (viewer.js)
//   problems  a broken save shows #procflow-problems with file:line:column,
//             over the last good version of the page (no reload)
//   clear     fixing the file removes the overlay and shows the new text
//   console   no console error, uncaught exception, failed request or HTTP
//             error
// and takes live-problems.png (the page with the overlay). Exit status 1 on
// the first failed check, 2 on a crash or the overall time limit.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { LAUNCH_ARGS, startWatchdog } from './chromium.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [baseArg, projectArg] = process.argv.slice(2);
if (!baseArg || !projectArg) {
  console.error('usage: node live.mjs <base-url> <project-folder>');
  process.exit(2);
}
const baseUrl = baseArg.endsWith('/') ? baseArg : `${baseArg}/`;
const project = path.resolve(projectArg);
const shotsDir = path.resolve(process.env.PROCFLOW_SCREENSHOTS || path.join(repoRoot, 'target/screenshots'));
const executablePath = process.env.PROCFLOW_CHROMIUM || '/usr/bin/chromium';

// What the bundled example model is known to contain.
const PAGE = 'workflows/incident-handling.html';
const MODEL = 'models/incident/workflow.yaml';
const ORIGINAL = 'name: Identify incident';
const FIRST = 'Identify the incident';
const SECOND = 'Identify incidents';
const SCROLL_TO = 1500;
const TOLERANCE = 5; // px
const WAIT = 30_000; // ms, per wait
const DESKTOP = { width: 1280, height: 800 };

// The whole run must end on its own, even if Chromium hangs.
startWatchdog('live', 180);

class CheckFailed extends Error {}
const passed = [];
const consoleErrors = [];
const notes = [];

function check(condition, name, message) {
  if (!condition) throw new CheckFailed(`[${name}] ${message}`);
}

/** Runs `promise` (a wait); a timeout becomes a failed check named `name`. */
async function waiting(name, what, promise) {
  try {
    return await promise;
  } catch (err) {
    throw new CheckFailed(`[${name}] ${what}: ${err.message.split('\n')[0]}`);
  }
}

const modelPath = path.join(project, MODEL);
function save(text) {
  fs.writeFileSync(modelPath, text);
}
function replaceOnce(text, from, to) {
  check(text.includes(from), 'setup', `${MODEL} does not contain ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

/** Marks the loaded document, so that a reload is noticed (runs in the browser). */
async function mark(page) {
  await page.evaluate(() => {
    window.__procflowMark = true;
  });
}

async function pageText(page) {
  return page.evaluate(() => document.querySelector('main')?.innerText ?? document.body.innerText);
}

/** Waits until the page's event stream is connected (its `hello` event arrived). */
async function connected(page, name) {
  await waiting(
    name,
    'the page did not connect to /__procflow/events',
    page.waitForFunction(() => window.__procflowHello === true, null, { timeout: WAIT }),
  );
}

/** Waits until a save makes the page reload, then for its load event. */
async function reloadAfter(page, name, text) {
  const loaded = page.waitForEvent('load', { timeout: WAIT });
  save(text);
  await waiting(name, 'the page did not reload after the save', loaded);
  check(
    await page.evaluate(() => window.__procflowMark === undefined),
    name,
    'the load event came from the same document (no reload)',
  );
}

async function run(browser) {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const at = msg.location()?.url;
    consoleErrors.push(`console error: ${msg.text()}${at ? ` (${at})` : ''}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) {
      consoleErrors.push(`HTTP ${res.status()} for ${res.url()}`);
    }
  });
  page.on('pageerror', (err) => consoleErrors.push(`uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText ?? '';
    // The event stream is cut off by every reload; that is not a failure.
    if (req.url().endsWith('/__procflow/events') && error === 'net::ERR_ABORTED') return;
    consoleErrors.push(`request failed: ${req.url()} (${error})`);
  });
  // Tells the test when the page's event stream is connected, without
  // changing what live.js does. Chromium's own scroll restoration is turned
  // off, so that the position after a reload is live.js's doing.
  await page.addInitScript(() => {
    history.scrollRestoration = 'manual';
    const Original = window.EventSource;
    window.EventSource = class extends Original {
      constructor(...args) {
        super(...args);
        this.addEventListener('hello', () => {
          window.__procflowHello = true;
        });
      }
    };
  });

  const original = fs.readFileSync(modelPath, 'utf8');

  // Open the page, scrolled down.
  const response = await page.goto(new URL(PAGE, baseUrl).href, { waitUntil: 'load' });
  check(response?.status() === 200, 'setup', `${PAGE} answered ${response?.status()}`);
  await page.evaluate(() => document.fonts.ready.then(() => true));
  check(
    (await page.locator('script[src="/__procflow/live.js"]').count()) === 1,
    'setup',
    'the page has no <script src="/__procflow/live.js">',
  );
  const room = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
  check(room >= SCROLL_TO + 100, 'setup', `${PAGE} scrolls only ${room} px, not enough to test ${SCROLL_TO} px`);
  // Zoom into the diagram and move the view (first: the box grows).
  const view = () =>
    page.evaluate(() => {
      const box = document.querySelector('.viewer-viewport');
      return { zoom: document.querySelector('.viewer-zoom').textContent, left: box.scrollLeft };
    });
  await page.evaluate(() => {
    for (let i = 0; i < 3; i += 1) document.querySelector('.viewer-bar [data-view="in"]').click();
    document.querySelector('.viewer-viewport').scrollLeft = 300;
  });
  const zoomed = await view();
  check(zoomed.zoom !== '100 %' && zoomed.left > 250, 'setup', `the diagram could not be zoomed and moved (${JSON.stringify(zoomed)})`);
  await page.evaluate((y) => window.scrollTo(0, y), SCROLL_TO);
  await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 1, SCROLL_TO);
  const before = await page.evaluate(() => window.scrollY);
  check(!(await pageText(page)).includes(FIRST), 'setup', `${PAGE} already shows "${FIRST}"`);
  await connected(page, 'reload');
  await mark(page);

  // A valid save: the page reloads with the new text at the same position.
  const renamed = replaceOnce(original, ORIGINAL, `name: ${FIRST}`);
  await reloadAfter(page, 'reload', renamed);
  await waiting(
    'reload',
    `"${FIRST}" did not appear after the reload`,
    page.getByText(FIRST).first().waitFor({ state: 'attached', timeout: WAIT }),
  );
  check((await pageText(page)).includes(FIRST), 'reload', `"${FIRST}" is not in the page's text`);
  // live.js restores the position on the load event; give it a moment.
  try {
    await page.waitForFunction(
      ([y, tolerance]) => Math.abs(window.scrollY - y) <= tolerance,
      [before, TOLERANCE],
      { timeout: 5_000 },
    );
  } catch {
    // Reported below with the actual position.
  }
  const after = await page.evaluate(() => window.scrollY);
  check(
    Math.abs(after - before) <= TOLERANCE,
    'reload',
    `scroll position ${after} px after the reload, was ${before} px`,
  );
  const kept = await view();
  check(
    kept.zoom === zoomed.zoom && Math.abs(kept.left - zoomed.left) <= 2,
    'reload',
    `the diagram was at ${zoomed.zoom}, scrolled ${zoomed.left} px; after the reload ${kept.zoom}, ${kept.left} px`,
  );
  passed.push(`reload: "${FIRST}" shown after the save, scrollY ${before} -> ${after} px, diagram kept at ${kept.zoom}`);

  // A broken save: the overlay lists the error over the last good page.
  await connected(page, 'problems');
  await mark(page);
  const broken = replaceOnce(renamed, '  steps:\n', '  steps: [\n');
  save(broken);
  const overlay = page.locator('#procflow-problems');
  await waiting('problems', '#procflow-problems did not appear after a broken save', overlay.waitFor({ timeout: WAIT }));
  check((await overlay.getAttribute('role')) === 'alert', 'problems', 'the overlay is not role="alert"');
  const report = await overlay.innerText();
  const where = report.match(/models\/incident\/workflow\.yaml:(\d+):(\d+): \S/);
  check(where, 'problems', `the overlay names no ${MODEL}:line:column: message, it says: ${JSON.stringify(report)}`);
  check(await overlay.isVisible(), 'problems', 'the overlay is not visible');
  check(
    await page.evaluate(() => window.__procflowMark === true),
    'problems',
    'the page reloaded on a broken save (the last good version should stay)',
  );
  check((await pageText(page)).includes(FIRST), 'problems', `the last good text "${FIRST}" is gone`);
  fs.mkdirSync(shotsDir, { recursive: true });
  const shot = path.join(shotsDir, 'live-problems.png');
  await page.screenshot({ path: shot });
  passed.push(
    `problems: overlay at ${MODEL}:${where[1]}:${where[2]}, last good page kept under it; screenshot ${shot}`,
  );

  // The fix: the overlay goes, the new text shows. The server sends `clear`
  // before `reload`, so the overlay must be gone before the page unloads (as
  // it must for a fix that does not change this page); the old document
  // notes whether it still had it.
  await page.evaluate(() => {
    window.addEventListener('pagehide', () => {
      sessionStorage.setItem('procflow-test-overlay', String(!!document.getElementById('procflow-problems')));
    });
  });
  const fixed = replaceOnce(renamed, `name: ${FIRST}`, `name: ${SECOND}`);
  await reloadAfter(page, 'clear', fixed);
  const atUnload = await page.evaluate(() => {
    const value = sessionStorage.getItem('procflow-test-overlay');
    sessionStorage.removeItem('procflow-test-overlay');
    return value;
  });
  check(atUnload === 'false', 'clear', `the overlay was still shown when the page reloaded (${atUnload})`);
  await waiting(
    'clear',
    `"${SECOND}" did not appear after the fix`,
    page.getByText(SECOND).first().waitFor({ state: 'attached', timeout: WAIT }),
  );
  await connected(page, 'clear');
  await waiting(
    'clear',
    '#procflow-problems is still there after the fix',
    overlay.waitFor({ state: 'detached', timeout: WAIT }),
  );
  const text = await pageText(page);
  check(text.includes(SECOND), 'clear', `"${SECOND}" is not in the page's text`);
  check(!text.includes(FIRST), 'clear', `the old text "${FIRST}" is still in the page`);
  passed.push(`clear: overlay removed after the fix, "${SECOND}" shown`);

  await context.close();
}

async function main() {
  if (!fs.existsSync(modelPath)) {
    console.error(`live: FAIL: no ${MODEL} in ${project}`);
    process.exit(2);
  }
  const started = Date.now();
  const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, headless: true });
  let failure = null;
  try {
    console.log(`live: ${browser.version()} on ${baseUrl} (project ${project})`);
    await run(browser);
  } catch (err) {
    if (!(err instanceof CheckFailed)) throw err;
    failure = err.message;
  } finally {
    await browser.close();
  }
  for (const p of passed) console.log(`ok: ${p}`);
  for (const n of [...new Set(notes)]) console.log(`note: ${n}`);
  for (const e of consoleErrors) console.log(`FAIL: [console] ${e}`);
  if (failure) console.log(`FAIL: ${failure}`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failure || consoleErrors.length) {
    console.log(`live: failed (${seconds} s)`);
    process.exit(1);
  }
  console.log(`live: all checks passed (reload, problems, clear, console; ${seconds} s)`);
  process.exit(0);
}

main().catch((err) => {
  console.error(`live: FAIL: ${err.stack || err}`);
  process.exit(2);
});
