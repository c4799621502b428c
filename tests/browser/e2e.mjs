// End-to-end test of the generated site in a real browser (headless Chromium
// driven by playwright-core), run by tests/e2e/browser.rs against a freshly built
// site:
//
//   node tests/browser/e2e.mjs <site-folder>
//
// (default: the repository's output/). Environment: PROCFLOW_SCREENSHOTS
// (folder for the screenshots, default target/screenshots),
// PROCFLOW_CHROMIUM (default /usr/bin/chromium).
//
// Checks, each reported by name; every failure is collected, the exit status
// is 1 if there was any:
//   links       crawl every page reachable from index.html over file://: every
//               local href/src exists, every #fragment is an id in its target
//   console     no console error, page error, failed request or network
//               request on any page
//   a11y        landmarks, one h1, heading levels in order, id references,
//               names of links and images, diagram links exposed with their
//               labels, text contrast AA in the light and the dark theme
//   search      a work-instruction phrase typed in the search box leads to its
//               step (click on the first result, and Enter)
//   axe         axe-core finds no violation on any page, light and dark, at
//               1280 and 390 px, and on a workflow page with a step's details
//               open
//   viewer      the diagram fits the width at 1280 and 390 px; zoom, pan, full
//               screen; downloads outside the scrolling box (viewer.mjs)
//   details     a click (and Enter) on a step in the diagram, or a #step-<id>
//               URL, opens its details beside the diagram (viewer.mjs)
//   process, contents, raci, search keys
//               the portal's process page diagrams and activity highlight,
//               table of contents, sticky and filtered RACI overview, and
//               search by arrow keys with the matches marked (portal.mjs)
//   pages       every page type was crawled, the tool alignment page too
//   responsive  no page scrolls sideways at 390 px
//   screenshots full-page PNGs at 1280 px and 390 px, light and dark, print

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { axeViolations } from './axe.mjs';
import { LAUNCH_ARGS, startWatchdog } from './chromium.mjs';
import { viewerTests } from './viewer.mjs';
import { portalTests } from './portal.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const siteDir = path.resolve(process.argv[2] || path.join(repoRoot, 'output'));
const shotsDir = path.resolve(process.env.PROCFLOW_SCREENSHOTS || path.join(repoRoot, 'target/screenshots'));
const executablePath = process.env.PROCFLOW_CHROMIUM || '/usr/bin/chromium';

// What the bundled example model is known to contain.
const SEARCH_PHRASE = 'accepting stops the response clock';
const SEARCH_STEP = { page: 'workflows/incident-handling.html', id: 'step-accept-level-1', title: 'Accept level 1 assignment' };
const DIAGRAM_PAGE = 'workflows/incident-handling.html';
// Clicked, reached by keyboard (far right), and opened by its URL.
const DIAGRAM_STEPS = { click: 'diagnose-level-1', keyboard: 'close-incident', direct: 'accept-level-1' };
const SHOT_PAGES = [
  ['index', 'index.html'],
  ['workflow', 'workflows/incident-handling.html'],
  ['process', 'processes/incident-management.html'],
  ['role', 'roles/service-desk-agent.html'],
  ['kpis', 'kpis.html'],
  ['raci', 'raci.html'],
];
// Every kind of page the site has; the crawl must reach each.
const PAGE_TYPES = ['index.html', 'processes/', 'workflows/', 'roles/', 'raci.html', 'kpis.html', 'improvements.html', 'check.html', 'alignment.html'];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

// The whole run must end on its own, even if Chromium hangs.
startWatchdog('e2e', 480);

const failures = [];
const warnings = [];
const stats = { pages: 0, links: 0, targets: new Set(), fragments: 0, external: 0, svgLinks: 0, contrast: 0, axe: 0, visibleShare: {} };

function fail(check, message) {
  failures.push(`[${check}] ${message}`);
}
function warn(check, message) {
  warnings.push(`[${check}] ${message}`);
}

const rootUrl = pathToFileURL(siteDir + path.sep).href;
const fileUrl = (rel) => new URL(rel, rootUrl).href;
const rel = (url) => {
  const u = new URL(url);
  const hash = u.hash;
  u.hash = '';
  return path.relative(siteDir, fileURLToPath(u)).split(path.sep).join('/') + hash;
};
const withoutHash = (url) => {
  const u = new URL(url);
  u.hash = '';
  return u.href;
};

/** Attaches the console/error listeners; `where()` names the page for messages. */
function watch(page, where) {
  page.on('console', (msg) => {
    if (msg.type() === 'error') fail('console', `${where()}: console error: ${msg.text()}`);
    else if (msg.type() === 'warning') warn('console', `${where()}: console warning: ${msg.text()}`);
  });
  page.on('pageerror', (err) => fail('console', `${where()}: uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) =>
    fail('console', `${where()}: request failed: ${req.url()} (${req.failure()?.errorText})`),
  );
  page.on('request', (req) => {
    if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) {
      fail('console', `${where()}: network request to ${req.url()} (the site must work offline)`);
    }
  });
  page.on('dialog', (dialog) => {
    fail('console', `${where()}: unexpected dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
}

async function settle(page) {
  await page.evaluate(() => document.fonts.ready.then(() => true));
}

// ---------------------------------------------------------------- in-page code

/** Everything the crawler needs from one page (runs in the browser). */
function collectPage() {
  const XLINK = 'http://www.w3.org/1999/xlink';
  const describe = (el) => {
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 60);
    return `<${el.tagName.toLowerCase()}>${text ? ` "${text}"` : ''}`;
  };
  const ids = [];
  for (const el of document.querySelectorAll('[id]')) ids.push(el.id);
  const refs = [];
  const add = (el, attr, value) => {
    if (value !== null && value !== undefined && value !== '') refs.push({ attr, value, what: describe(el) });
  };
  for (const el of document.querySelectorAll('a, area')) {
    add(el, 'href', el.getAttribute('href') ?? el.getAttributeNS(XLINK, 'href'));
  }
  for (const el of document.querySelectorAll('link[href]')) {
    if (el.rel !== 'canonical') add(el, 'href', el.getAttribute('href'));
  }
  for (const el of document.querySelectorAll('script[src], img[src], source[src], iframe[src], video[src], audio[src]')) {
    add(el, 'src', el.getAttribute('src'));
  }
  for (const el of document.querySelectorAll('object[data]')) add(el, 'data', el.getAttribute('data'));
  for (const el of document.querySelectorAll('use, image')) {
    add(el, 'href', el.getAttribute('href') ?? el.getAttributeNS(XLINK, 'href'));
  }

  // Accessibility basics.
  const a11y = [];
  const idSet = new Set(ids);
  const seen = new Set();
  for (const id of ids) {
    if (seen.has(id)) a11y.push(`duplicate id "${id}"`);
    seen.add(id);
  }
  if (!document.documentElement.getAttribute('lang')) a11y.push('<html> has no lang');
  if (!document.title.trim()) a11y.push('empty <title>');
  if (document.querySelectorAll('main').length !== 1) a11y.push(`${document.querySelectorAll('main').length} <main> landmarks`);
  if (!document.querySelector('header nav, nav')) a11y.push('no <nav> landmark');
  const h1s = document.querySelectorAll('h1');
  if (h1s.length !== 1) a11y.push(`${h1s.length} <h1> elements (want exactly one)`);
  let last = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(h.tagName[1]);
    if (last && level > last + 1) a11y.push(`heading level skipped: h${last} then h${level} ${describe(h)}`);
    last = level;
  }
  for (const el of document.querySelectorAll('[for]')) {
    const id = el.getAttribute('for');
    if (!idSet.has(id)) a11y.push(`${describe(el)} for="${id}" names no element`);
  }
  for (const attr of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'headers']) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const id of el.getAttribute(attr).split(/\s+/).filter(Boolean)) {
        if (!idSet.has(id)) a11y.push(`${describe(el)} ${attr}="${id}" names no element`);
      }
    }
  }
  for (const img of document.querySelectorAll('img:not([alt])')) a11y.push(`image without alt: ${img.getAttribute('src')}`);
  for (const svg of document.querySelectorAll('svg[role="img"]')) {
    if (!svg.getAttribute('aria-label') && !svg.getAttribute('aria-labelledby') && !svg.querySelector(':scope > title')) {
      a11y.push(`svg role="img" without a name (#${svg.id})`);
    }
    const interactive = svg.querySelectorAll('a[href], a[*|href], [tabindex]');
    if (interactive.length) {
      a11y.push(
        `<svg id="${svg.id}" role="img"> contains ${interactive.length} links: role="img" makes its children ` +
          'presentational, so assistive technology may hide them (leave role="img" off linked diagrams; aria-labelledby still names them)',
      );
    }
  }
  for (const table of document.querySelectorAll('table')) {
    if (!table.querySelector('th')) a11y.push(`table without header cells ${describe(table)}`);
  }
  for (const el of document.querySelectorAll('a[href]')) {
    if (el.closest('svg')) continue;
    const name = (el.getAttribute('aria-label') || el.textContent || '').trim()
      || [...el.querySelectorAll('img[alt]')].map((i) => i.alt).join('').trim();
    if (!name) a11y.push(`link without a name: href="${el.getAttribute('href')}"`);
  }
  const skip = document.querySelector('a[href="#main"]');
  if (!skip) a11y.push('no skip link to #main');

  // Diagram nodes: each must be a link to its step's entry.
  const nodes = [];
  for (const g of document.querySelectorAll('figure.diagram g.node[data-step]')) {
    const a = g.closest('a');
    nodes.push({ step: g.getAttribute('data-step'), href: a ? (a.getAttribute('href') ?? a.getAttributeNS(XLINK, 'href')) : null });
  }
  return {
    title: document.title,
    h1: h1s[0] ? h1s[0].textContent.trim() : '',
    ids,
    refs,
    a11y,
    nodes,
    hasIndex: Array.isArray(window.PROCFLOW_INDEX) && window.PROCFLOW_INDEX.length > 0,
  };
}

/** Text contrast (WCAG AA) of every visible text outside SVG (runs in the browser). */
function contrastProblems() {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (m) {
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [r, g, b, a];
    }
    const s = c.match(/color\(srgb ([^)]+)\)/);
    if (s) {
      const [r, g, b, a = 1] = s[1].split(/[\s/]+/).filter(Boolean).map(Number);
      return [r * 255, g * 255, b * 255, a];
    }
    return null;
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let result = matchMedia('(prefers-color-scheme: dark)').matches ? [18, 18, 18, 1] : [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const problems = [];
  let checked = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const done = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || done.has(el) || !n.textContent.trim() || el.closest('svg, script, style')) continue;
    done.add(el);
    const rect = el.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1 || !el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    const style = getComputedStyle(el);
    if (rect.right < 0 || rect.left < -100) continue; // parked off screen (skip link)
    const fg = parse(style.color);
    if (!fg) continue;
    const bg = background(el);
    const r = ratio(over(fg, bg), bg);
    const size = parseFloat(style.fontSize);
    const bold = Number(style.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    checked += 1;
    if (r < need) {
      problems.push(
        `"${n.textContent.replace(/\s+/g, ' ').trim().slice(0, 40)}" <${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ''}> ` +
          `${style.color} on rgb(${bg.slice(0, 3).map(Math.round).join(', ')}): ${r.toFixed(2)}:1, needs ${need}:1`,
      );
    }
  }
  return { checked, problems };
}

/** Elements sticking out past the right edge of the viewport (runs in the browser). */
function overflowReport() {
  const width = document.documentElement.clientWidth;
  const scroll = document.documentElement.scrollWidth;
  if (scroll <= width + 1) return null;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (r.right <= width + 1) continue;
    // Report the outermost element that sticks out, not all its descendants.
    const parent = el.parentElement;
    if (parent && parent !== document.body && parent.getBoundingClientRect().right > width + 1) continue;
    // Inside a scrolling container the overflow is contained.
    let contained = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') {
        contained = true;
        break;
      }
    }
    if (contained) continue;
    culprits.push(`<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}> right edge ${Math.round(r.right)}px`);
  }
  return { width, scroll, culprits: culprits.slice(0, 6) };
}

// ------------------------------------------------------------------- checks

async function crawl(browser) {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  let current = 'index.html';
  watch(page, () => current);
  const cdp = await context.newCDPSession(page);

  const start = fileUrl('index.html');
  const queue = [start];
  const queued = new Set(queue);
  const pages = new Map(); // url without hash -> collected info
  const pending = []; // links with a fragment, checked once every page is known

  while (queue.length) {
    const url = queue.shift();
    current = rel(url);
    try {
      await page.goto(url, { waitUntil: 'load' });
      await settle(page);
    } catch (err) {
      fail('links', `${current}: could not be loaded: ${err.message}`);
      continue;
    }
    const info = await page.evaluate(collectPage);
    pages.set(url, info);
    stats.pages += 1;
    if (!info.hasIndex) fail('search', `${current}: window.PROCFLOW_INDEX is missing or empty`);
    for (const problem of info.a11y) fail('a11y', `${current}: ${problem}`);

    for (const ref of info.refs) {
      stats.links += 1;
      let target;
      try {
        target = new URL(ref.value, url);
      } catch {
        fail('links', `${current}: ${ref.what} ${ref.attr}="${ref.value}" is no URL`);
        continue;
      }
      if (target.protocol === 'http:' || target.protocol === 'https:') {
        stats.external += 1;
        warn('links', `${current}: external link ${target.href} (not checked; the site should have none)`);
        continue;
      }
      if (target.protocol === 'mailto:' || target.protocol === 'tel:' || target.protocol === 'data:') continue;
      if (target.protocol !== 'file:') {
        fail('links', `${current}: ${ref.what} ${ref.attr}="${ref.value}" has protocol ${target.protocol}`);
        continue;
      }
      const file = fileURLToPath(withoutHash(target.href));
      const inside = path.relative(siteDir, file);
      if (inside.startsWith('..') || path.isAbsolute(inside)) {
        fail('links', `${current}: ${ref.what} ${ref.attr}="${ref.value}" leaves the site folder`);
        continue;
      }
      stats.targets.add(file);
      let stat = null;
      try {
        stat = fs.statSync(file);
      } catch {
        /* missing */
      }
      if (!stat) {
        fail('links', `${current}: ${ref.what} ${ref.attr}="${ref.value}" → ${inside} does not exist`);
        continue;
      }
      if (stat.isDirectory()) {
        fail('links', `${current}: ${ref.what} ${ref.attr}="${ref.value}" points to a folder (no index page on file://)`);
        continue;
      }
      const bare = withoutHash(target.href);
      if (file.endsWith('.html') && !queued.has(bare)) {
        queued.add(bare);
        queue.push(bare);
      }
      if (target.hash && target.hash !== '#') {
        pending.push({ from: current, ref, page: bare, id: decodeURIComponent(target.hash.slice(1)) });
      }
    }

    // Workflow diagram nodes link to their steps.
    for (const node of current.startsWith('workflows/') ? info.nodes : []) {
      if (node.href !== `#step-${node.step}`) {
        fail('diagram', `${current}: diagram node "${node.step}" links to ${node.href ?? 'nothing'}, want #step-${node.step}`);
      }
    }
    // Links inside inline diagrams, as Chromium's accessibility tree exposes them.
    await checkSvgLinkNames(page, cdp, current);

    // Colour contrast and axe-core, light then dark theme.
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      const { checked, problems } = await page.evaluate(contrastProblems);
      stats.contrast += checked;
      for (const p of problems) fail('a11y', `${current} (${scheme}): low contrast ${p}`);
      await runAxe(page, `${current} (${scheme})`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }

  for (const link of pending) {
    const target = pages.get(link.page);
    stats.fragments += 1;
    if (!target) {
      if (link.page.endsWith('.html')) fail('links', `${link.from}: ${link.ref.value}: target page was not loaded`);
      continue; // a fragment into a non-HTML file (none expected)
    }
    if (link.id === 'top' || target.ids.includes(link.id)) continue;
    fail('links', `${link.from}: ${link.ref.what} href="${link.ref.value}": no element with id "${link.id}" in ${rel(link.page)}`);
  }

  // Pages nobody links to.
  const all = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.html')) all.push(p);
    }
  };
  walk(siteDir);
  for (const file of all) {
    if (!pages.has(pathToFileURL(file).href)) warn('links', `${path.relative(siteDir, file)} is not reachable from index.html`);
  }
  await context.close();
  return [...pages.keys()];
}

/**
 * Every link in an inline SVG must be exposed to assistive technology as a
 * link named after its label. A label wrapped over several <tspan> lines must
 * not run words together ("Accept level 1assignment").
 */
async function checkSvgLinkNames(page, cdp, where) {
  const expected = await page.evaluate(() => {
    const XLINK = 'http://www.w3.org/1999/xlink';
    return [...document.querySelectorAll('svg a')].map((a, i) => {
      a.setAttribute('data-e2e-link', String(i));
      const lines = [...a.querySelectorAll('tspan')].map((t) => t.textContent.trim());
      const text = lines.length ? lines.join(' ') : (a.textContent || '').trim();
      return { i, href: a.getAttribute('href') ?? a.getAttributeNS(XLINK, 'href'), label: text.replace(/\s+/g, ' ').trim() };
    });
  });
  if (!expected.length) return;
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const misnamed = [];
  for (const link of expected) {
    stats.svgLinks += 1;
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: `[data-e2e-link="${link.i}"]` });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const ax = nodes[0];
    const role = ax?.role?.value;
    const name = (ax?.name?.value || '').replace(/\s+/g, ' ').trim();
    if (!ax || ax.ignored || role !== 'link') {
      fail('a11y', `${where}: diagram link ${link.href} is not exposed as a link (role ${role ?? 'none'}${ax?.ignored ? ', ignored' : ''})`);
    } else if (name !== link.label) {
      misnamed.push(`"${name}" (want "${link.label}")`);
    }
  }
  if (misnamed.length) {
    fail(
      'a11y',
      `${where}: ${misnamed.length} of ${expected.length} diagram links are announced with the words of their wrapped ` +
        `label run together: ${misnamed.slice(0, 3).join(', ')}${misnamed.length > 3 ? ', …' : ''}`,
    );
  }
  await page.evaluate(() => document.querySelectorAll('[data-e2e-link]').forEach((a) => a.removeAttribute('data-e2e-link')));
}

/** axe-core over the page as it is now; every violation fails. */
async function runAxe(page, where) {
  stats.axe += 1;
  for (const v of await axeViolations(page)) fail('axe', `${where}: ${v}`);
}

/** The step details panel after a step URL was followed (workflow pages). */
async function detailsLanding(page) {
  await page.waitForFunction(() => document.querySelector('.step-details')?.contains(document.activeElement), null, { timeout: 2000 }).catch(() => {});
  return page.evaluate(() => {
    const panel = document.querySelector('.step-details');
    if (!panel) return null;
    const r = panel.getBoundingClientRect();
    return {
      open: !panel.hidden,
      title: panel.querySelector('.step-details-title').textContent.trim(),
      top: Math.round(r.top),
      height: window.innerHeight,
      focused: panel.contains(document.activeElement),
    };
  });
}

function checkDetailsLanding(check, where, step, at) {
  if (!at || !at.open) {
    fail(check, `${where}: the step details did not open`);
    return;
  }
  if (at.title !== step.title) fail(check, `${where}: the details show "${at.title}", want "${step.title}"`);
  if (at.top < -2 || at.top > at.height - 40) fail(check, `${where}: the details are not in view (top at ${at.top}px of ${at.height}px)`);
  if (!at.focused) fail(check, `${where}: the details did not receive focus (keyboard and screen reader users stay at the link)`);
}

async function searchTest(browser) {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  let current = '';
  watch(page, () => `search on ${current}`);
  const wantUrl = fileUrl(SEARCH_STEP.page) + '#' + SEARCH_STEP.id;

  // From a page one folder down (links must be made relative to the root), by click.
  for (const [start, how] of [
    ['processes/problem-management.html', 'click'],
    ['index.html', 'enter'],
  ]) {
    current = `${start} (${how})`;
    await page.goto(fileUrl(start));
    await settle(page);
    const box = page.locator('#search-box');
    await box.click();
    await box.pressSequentially(SEARCH_PHRASE, { delay: 10 });
    const first = page.locator('#search-results a').first();
    try {
      await first.waitFor({ state: 'visible', timeout: 5000 });
    } catch {
      fail('search', `${current}: no result for "${SEARCH_PHRASE}"`);
      continue;
    }
    const text = (await first.textContent()) || '';
    if (!text.includes(SEARCH_STEP.title)) {
      fail('search', `${current}: first result for "${SEARCH_PHRASE}" is "${text.trim()}", want the step "${SEARCH_STEP.title}"`);
    }
    if (how === 'click') await first.click();
    else await box.press('Enter');
    try {
      await page.waitForURL(wantUrl, { timeout: 5000 });
    } catch {
      fail('search', `${current}: landed on ${rel(page.url())}, want ${SEARCH_STEP.page}#${SEARCH_STEP.id}`);
      continue;
    }
    await settle(page);
    checkDetailsLanding('search', current, SEARCH_STEP, await detailsLanding(page));
  }

  // The list is announced, and Escape clears it.
  current = 'index.html (escape)';
  await page.goto(fileUrl('index.html'));
  await page.locator('#search-box').pressSequentially('zzzz-no-such-thing');
  const none = await page.locator('#search-results li').allTextContents();
  if (none.join(' ') !== 'No results') fail('search', `${current}: a query with no hit shows ${JSON.stringify(none)}, want "No results"`);
  await page.locator('#search-box').press('Escape');
  if ((await page.locator('#search-results li').count()) !== 0) fail('search', `${current}: Escape does not clear the results`);
  await context.close();
}

/** The viewer and step details at 1280 and 390 px (viewer.mjs), and axe with the details open. */
async function diagramTest(browser) {
  for (const [viewport, mobile] of [[DESKTOP, false], [PHONE, true]]) {
    await viewerTests(browser, {
      pageUrl: fileUrl(DIAGRAM_PAGE), viewport, mobile, steps: DIAGRAM_STEPS, fail, stats, watch, label: DIAGRAM_PAGE,
    });
  }
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  watch(page, () => `${DIAGRAM_PAGE} (details open)`);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${fileUrl(DIAGRAM_PAGE)}#step-${DIAGRAM_STEPS.click}`);
    await page.waitForTimeout(100);
    await runAxe(page, `${DIAGRAM_PAGE}#step-${DIAGRAM_STEPS.click} (${scheme}, details open)`);
  }
  await context.close();
}

/** No page may scroll sideways on a phone; diagrams and tables scroll in their own box. */
async function responsiveTest(browser, urls) {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  let current = '';
  watch(page, () => `${current} at ${PHONE.width}px`);
  for (const url of urls) {
    current = rel(url);
    await page.goto(url);
    await settle(page);
    const report = await page.evaluate(overflowReport);
    if (report) {
      fail(
        'responsive',
        `${current}: the page is ${report.scroll}px wide in a ${report.width}px phone viewport (scrolls sideways); ` +
          `sticking out: ${report.culprits.join(', ') || 'unknown'}`,
      );
    }
    // A phone's layout has its own findings (a table that scrolls, say).
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await runAxe(page, `${current} at ${PHONE.width}px (${scheme})`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }
  await context.close();
}

async function screenshots(browser) {
  fs.mkdirSync(shotsDir, { recursive: true });
  const taken = [];
  const shoot = async (page, name) => {
    const file = path.join(shotsDir, `${name}.png`);
    // Headless Chromium under load now and then fails to capture a tall page
    // ("Unable to capture screenshot"); a picture is not a check, so retry
    // once, then keep the visible part rather than fail the run.
    for (const fullPage of [true, true, false]) {
      try {
        await page.screenshot({ path: file, fullPage });
        if (!fullPage) console.log(`e2e: note: ${name}: only the visible part could be captured`);
        break;
      } catch (err) {
        if (!fullPage) throw err;
        await page.waitForTimeout(500);
      }
    }
    taken.push(file);
  };
  const variants = [
    { suffix: 'desktop', options: { viewport: DESKTOP }, pages: SHOT_PAGES },
    { suffix: 'phone', options: { viewport: PHONE, isMobile: true, hasTouch: true }, pages: SHOT_PAGES },
    { suffix: 'dark', options: { viewport: DESKTOP, colorScheme: 'dark' }, media: { colorScheme: 'dark' }, pages: SHOT_PAGES },
    { suffix: 'phone-dark', options: { viewport: PHONE, isMobile: true, hasTouch: true, colorScheme: 'dark' }, media: { colorScheme: 'dark' }, pages: SHOT_PAGES },
    { suffix: 'print', options: { viewport: DESKTOP }, media: { media: 'print' }, pages: SHOT_PAGES.slice(1, 3) },
  ];
  for (const variant of variants) {
    const context = await browser.newContext(variant.options);
    const page = await context.newPage();
    let current = '';
    watch(page, () => `${current} (${variant.suffix})`);
    if (variant.media) await page.emulateMedia(variant.media);
    for (const [name, file] of variant.pages) {
      current = file;
      await page.goto(fileUrl(file));
      await settle(page);
      await shoot(page, `${name}-${variant.suffix}`);
    }
    await context.close();
  }
  // One screenshot per screen (not print) of a page that `prepare` puts in a state.
  const shootStates = async (name, where, prepare) => {
    for (const { suffix, options } of variants.filter((v) => v.suffix !== 'print')) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      watch(page, () => `${where}, ${suffix})`);
      await prepare(page);
      const file = path.join(shotsDir, `${name}-${suffix}.png`);
      await page.screenshot({ path: file });
      taken.push(file);
      await context.close();
    }
  };
  // The search results open over the page, the second one active.
  await shootStates('search', 'index.html (search open', async (page) => {
    await page.goto(fileUrl('index.html'));
    await page.locator('#search-box').pressSequentially('incident');
    await page.locator('#search-results a').first().waitFor();
    await page.locator('#search-box').press('ArrowDown');
    await page.locator('#search-box').press('ArrowDown');
  });
  // A process page with an activity pointed at: its steps highlighted.
  await shootStates('process-highlight', 'process page (activity highlighted', async (page) => {
    await page.goto(fileUrl('processes/incident-management.html'));
    await settle(page);
    // Focus, not the pointer: it stays when the diagram is scrolled into view.
    await page.locator('article.activity[data-steps] a').first().focus();
    await page.locator('figure.process-diagram').first().evaluate((f) => f.scrollIntoView({ block: 'start' }));
  });
  // A step's details open beside (or below) the diagram, light and dark.
  await shootStates('step-details', `${DIAGRAM_PAGE} (step details`, async (page) => {
    await page.goto(`${fileUrl(DIAGRAM_PAGE)}#step-${DIAGRAM_STEPS.direct}`);
    await settle(page);
  });
  return taken;
}

// --------------------------------------------------------------------- main

async function main() {
  if (!fs.existsSync(path.join(siteDir, 'index.html'))) {
    console.error(`e2e: no index.html in ${siteDir}`);
    process.exit(2);
  }
  const started = Date.now();
  const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, headless: true });
  let shots = [];
  let urls = [];
  try {
    console.log(`e2e: ${browser.version()} on ${siteDir}`);
    urls = await crawl(browser);
    for (const type of PAGE_TYPES) {
      if (!urls.some((u) => rel(u) === type || (type.endsWith('/') && rel(u).startsWith(type)))) {
        fail('pages', `the crawl never reached ${type} (axe and the link checks did not run on it)`);
      }
    }
    await searchTest(browser);
    await portalTests(browser, { fileUrl, fail, watch, runAxe });
    await diagramTest(browser);
    await responsiveTest(browser, urls);
    shots = await screenshots(browser);
  } finally {
    await browser.close();
  }

  console.log(
    `e2e: crawled ${stats.pages} pages, checked ${stats.links} links to ${stats.targets.size} files ` +
      `(${stats.fragments} with a #fragment, ${stats.external} external), ${stats.svgLinks} diagram links, ` +
      `contrast of ${stats.contrast} texts, axe-core on ${stats.axe} page views; diagram width in view on load: ` +
      `${Object.entries(stats.visibleShare).map(([w, v]) => `${Math.round(v * 100)} % at ${w} px`).join(', ')}; ` +
      `${shots.length} screenshots in ${shotsDir}; ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const w of [...new Set(warnings)]) console.log(`warning: ${w}`);
  const unique = [...new Set(failures)];
  for (const f of unique) console.log(`FAIL: ${f}`);
  const byCheck = {};
  for (const f of unique) {
    const check = f.slice(1, f.indexOf(']'));
    byCheck[check] = (byCheck[check] || 0) + 1;
  }
  console.log(
    unique.length
      ? `e2e: ${unique.length} problems (${Object.entries(byCheck).map(([k, v]) => `${k}: ${v}`).join(', ')})`
      : 'e2e: all checks passed',
  );
  process.exit(unique.length ? 1 : 0);
}

main().catch((err) => {
  console.error(`e2e: ${err.stack || err}`);
  process.exit(2);
});
