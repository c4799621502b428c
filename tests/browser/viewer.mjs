// The diagram viewer and the step details of a workflow page
// (templates/assets/viewer.js), checked in Chromium by e2e.mjs:
//
//   fit        on load the diagram fits the box's width at 1280 and 390 px
//   downloads  the SVG/PNG/BPMN links sit outside the scrolling box, in view
//              without scrolling inside it
//   zoom       buttons, + / − / 0 keys, Ctrl + wheel and a two-finger pinch
//              change the drawn size; Fit returns to the fitted width
//   pan        arrow keys and a mouse drag move the view; a drag that ends
//              over a step does not open it
//   full       the Full screen button fills the window, and leaves it again
//   details    a click on a step (and Enter on another) opens its details
//              beside the diagram with its work instructions, keeps the
//              diagram in view and sets #step-<id>; a #step-<id> URL opens
//              them on load; Escape closes them; the step list stays, and
//              its own step links still lead to an entry in the list
//
// Each check reports through `fail(check, message)`; figures go to `stats`.

/** What the viewer of the page shows now (runs in the browser). */
function viewState() {
  const box = document.querySelector('figure.diagram .viewer-viewport');
  const svg = box && box.querySelector('svg');
  if (!box || !svg) return null;
  const r = svg.getBoundingClientRect();
  return {
    drawn: r.width,
    natural: svg.width.baseVal.value,
    box: box.clientWidth,
    boxHeight: box.getBoundingClientRect().height,
    left: box.scrollLeft,
    top: box.scrollTop,
    zoom: document.querySelector('.viewer-zoom')?.textContent ?? '',
    hash: window.location.hash,
    full: box.closest('.viewer-fullscreen') !== null,
    windowHeight: window.innerHeight,
  };
}

/** The step details panel as the reader sees it (runs in the browser). */
function panelState() {
  const panel = document.querySelector('.step-details');
  if (!panel) return null;
  const r = panel.getBoundingClientRect();
  const figure = document.querySelector('figure.diagram').getBoundingClientRect();
  return {
    hidden: panel.hidden || !panel.checkVisibility(),
    title: panel.querySelector('.step-details-title')?.textContent.trim() ?? '',
    instructions: (panel.querySelector('.instructions')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
    top: r.top,
    left: r.left,
    figureTop: figure.top,
    figureBottom: figure.bottom,
    figureRight: figure.right,
    height: window.innerHeight,
    focused: panel.contains(document.activeElement),
    hash: window.location.hash,
    selected: [...document.querySelectorAll('figure.diagram .node.selected')].map((g) => g.getAttribute('data-step')),
    ids: panel.querySelectorAll('[id]:not(#step-details-title)').length,
    inFullscreen: panel.closest('.viewer-fullscreen') !== null,
  };
}

/** The step list entry's title and instruction text, the panel's source. */
function stepEntry(id) {
  const article = document.getElementById(`step-${id}`);
  if (!article) return null;
  return {
    title: article.querySelector('h3').firstChild.textContent.trim(),
    instructions: (article.querySelector('.instructions')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
  };
}

/** Download links: where they are, and whether they are in the scrolling box. */
function downloadsState() {
  const figure = document.querySelector('figure.diagram');
  figure.scrollIntoView({ block: 'start' });
  return [...figure.querySelectorAll('.downloads a, .downloads button')].filter((a) => a.checkVisibility()).map((a) => {
    const r = a.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {
      label: a.textContent.trim(),
      inBox: a.closest('.viewer-viewport') !== null,
      inWindow: r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth,
      onTop: hit === a || a.contains(hit),
    };
  });
}

const near = (a, b, tolerance) => Math.abs(a - b) <= tolerance;

/** Runs every check on `pageUrl` (a workflow page) at `viewport`. */
export async function viewerTests(browser, { pageUrl, viewport, mobile, steps, fail, stats, watch, label }) {
  const context = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile });
  const page = await context.newPage();
  const where = `${label} at ${viewport.width}px`;
  watch(page, () => where);
  await page.goto(pageUrl);
  await page.evaluate(() => document.fonts.ready);

  const start = await page.evaluate(viewState);
  if (!start) {
    fail('viewer', `${where}: no diagram viewer box`);
    await context.close();
    return;
  }
  stats.visibleShare[viewport.width] = Math.min(1, start.box / start.drawn);
  // Fits: the whole width shows, and the diagram is not drawn smaller than the box.
  if (start.drawn > start.box + 1 || start.drawn < start.box * 0.97) {
    fail('viewer', `${where}: on load the diagram is ${Math.round(start.drawn)}px wide in a ${start.box}px box (want it to fit the width)`);
  }
  await checkDownloads(page, where, fail);
  await checkZoom(page, where, fail, start, mobile);
  await checkPan(page, where, fail, mobile);
  await checkFullScreen(page, where, fail, steps, mobile);
  await checkDetails(page, where, fail, steps, mobile);
  await context.close();

  // A #step-<id> URL opens the details on load.
  const direct = await browser.newContext({ viewport, isMobile: mobile, hasTouch: mobile });
  const landing = await direct.newPage();
  watch(landing, () => `${where} (#step-${steps.direct})`);
  await landing.goto(`${pageUrl}#step-${steps.direct}`);
  await landing.waitForFunction(() => !document.querySelector('.step-details')?.hidden, null, { timeout: 3000 }).catch(() => {});
  await landing.waitForTimeout(100);
  const entry = await landing.evaluate(stepEntry, steps.direct);
  checkPanel(fail, `${where} (#step-${steps.direct} on load)`, await landing.evaluate(panelState), entry, steps.direct, true);
  await direct.close();
}

async function checkDownloads(page, where, fail) {
  const links = await page.evaluate(downloadsState);
  if (links.length < 2) fail('viewer', `${where}: ${links.length} download links, want SVG, PNG and BPMN`);
  for (const link of links) {
    if (link.inBox) fail('viewer', `${where}: the ${link.label} download is inside the scrolling diagram box`);
    if (!link.inWindow || !link.onTop) fail('viewer', `${where}: the ${link.label} download is not in view with the diagram's top`);
  }
}

async function zoomAfter(page, action) {
  const before = await page.evaluate(viewState);
  await action();
  await page.waitForTimeout(50);
  const after = await page.evaluate(viewState);
  return { before, after, ratio: after.drawn / before.drawn };
}

async function checkZoom(page, where, fail, start, mobile) {
  const box = page.locator('figure.diagram .viewer-viewport');
  let z = await zoomAfter(page, () => page.getByRole('button', { name: 'Zoom in' }).click());
  if (!near(z.ratio, 1.25, 0.02)) fail('viewer', `${where}: Zoom in changed the width ×${z.ratio.toFixed(2)}, want ×1.25`);
  if (z.after.zoom === z.before.zoom) fail('viewer', `${where}: the zoom read-out stayed at ${z.after.zoom}`);
  z = await zoomAfter(page, () => page.getByRole('button', { name: 'Zoom out' }).click());
  if (!near(z.ratio, 0.8, 0.02)) fail('viewer', `${where}: Zoom out changed the width ×${z.ratio.toFixed(2)}, want ×0.8`);

  await box.focus();
  z = await zoomAfter(page, () => page.keyboard.press('+'));
  if (!near(z.ratio, 1.25, 0.02)) fail('viewer', `${where}: the + key changed the width ×${z.ratio.toFixed(2)}, want ×1.25`);
  z = await zoomAfter(page, () => page.keyboard.press('-'));
  if (!near(z.ratio, 0.8, 0.02)) fail('viewer', `${where}: the − key changed the width ×${z.ratio.toFixed(2)}, want ×0.8`);

  const rect = await box.boundingBox();
  if (!mobile) {
    await page.mouse.move(rect.x + rect.width / 2, rect.y + rect.height / 2);
    z = await zoomAfter(page, async () => {
      await page.keyboard.down('Control');
      await page.mouse.wheel(0, -400);
      await page.keyboard.up('Control');
    });
    if (!(z.ratio > 1.3)) fail('viewer', `${where}: Ctrl + wheel changed the width ×${z.ratio.toFixed(2)}, want it larger`);
    if (z.after.windowHeight && (await page.evaluate(() => window.visualViewport.scale)) !== 1) {
      fail('viewer', `${where}: Ctrl + wheel zoomed the page, not the diagram`);
    }
  } else {
    z = await zoomAfter(page, () => pinch(page, rect));
    if (!(z.ratio > 1.3)) fail('viewer', `${where}: a two-finger pinch changed the width ×${z.ratio.toFixed(2)}, want it larger`);
  }
  z = await zoomAfter(page, () => page.keyboard.press('0'));
  if (!near(z.after.drawn, start.drawn, 1.5)) fail('viewer', `${where}: the 0 key drew ${Math.round(z.after.drawn)}px, want the fitted ${Math.round(start.drawn)}px`);
  await page.getByRole('button', { name: 'Zoom in' }).click();
  z = await zoomAfter(page, () => page.getByRole('button', { name: 'Fit' }).click());
  if (!near(z.after.drawn, start.drawn, 1.5)) fail('viewer', `${where}: Fit drew ${Math.round(z.after.drawn)}px, want the fitted ${Math.round(start.drawn)}px`);
}

/** Two fingers moving apart over the box, as touch events. */
async function pinch(page, rect) {
  const cdp = await page.context().newCDPSession(page);
  const cx = rect.x + rect.width / 2;
  const cy = rect.y + rect.height / 2;
  const points = (d) => [{ x: cx - d, y: cy, id: 1 }, { x: cx + d, y: cy, id: 2 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(20) });
  for (let d = 30; d <= 80; d += 10) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points(d) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

async function checkPan(page, where, fail, mobile) {
  const box = page.locator('figure.diagram .viewer-viewport');
  await box.focus();
  // Zoom in until the view can move both ways.
  for (let i = 0; i < 16; i += 1) {
    const room = await box.evaluate((b) => b.scrollHeight > b.clientHeight + 150 && b.scrollWidth > b.clientWidth + 150);
    if (room) break;
    await page.keyboard.press('+');
  }
  let before = await page.evaluate(viewState);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  let after = await page.evaluate(viewState);
  if (!(after.left > before.left)) fail('viewer', `${where}: ArrowRight did not pan (scroll ${before.left} → ${after.left})`);
  if (!(after.top > before.top)) fail('viewer', `${where}: ArrowDown did not pan (scroll ${before.top} → ${after.top})`);
  await page.keyboard.press('ArrowLeft');
  const left = await page.evaluate(viewState);
  if (!(left.left < after.left)) fail('viewer', `${where}: ArrowLeft did not pan back`);
  if (mobile) {
    await page.keyboard.press('0');
    return; // one finger scrolls the box natively
  }
  // Drag with the mouse: the diagram follows the pointer. From the top left
  // corner, so that the view has room to follow whatever the arrow keys did.
  await box.evaluate((b) => { b.scrollLeft = 0; b.scrollTop = 0; });
  const rect = await box.boundingBox();
  before = await page.evaluate(viewState);
  const x = rect.x + rect.width * 0.6;
  const y = rect.y + rect.height * 0.5;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x - 100, y - 40, { steps: 8 });
  await page.mouse.up();
  after = await page.evaluate(viewState);
  if (!near(after.left - before.left, 100, 3) || !near(after.top - before.top, 40, 3)) {
    fail('viewer', `${where}: a drag by (-100, -40) moved the view by (${after.left - before.left}, ${after.top - before.top}), want (100, 40)`);
  }
  if (after.hash !== before.hash) fail('viewer', `${where}: a drag followed a link (hash ${after.hash})`);
  await page.keyboard.press('0');
}

async function checkFullScreen(page, where, fail, steps, mobile) {
  const button = page.locator('.viewer-bar [data-view="full"]');
  await button.click();
  await page.waitForFunction(() => document.querySelector('[data-view="full"]').getAttribute('aria-pressed') === 'true', null, { timeout: 2000 }).catch(() => {});
  const full = await page.evaluate(viewState);
  if (!full.full) fail('viewer', `${where}: Full screen did not take the diagram full screen`);
  else if (full.boxHeight < full.windowHeight * 0.7) fail('viewer', `${where}: in full screen the diagram box is only ${Math.round(full.boxHeight)}px of ${full.windowHeight}px high`);
  if (full.drawn > full.box + 1) fail('viewer', `${where}: in full screen the fitted diagram is wider than the box`);
  // A step clicked in full screen shows its details there too.
  const node = page.locator(`figure.diagram g.node[data-step="${steps.click}"]`);
  if (mobile) await node.tap();
  else await node.click();
  await page.waitForTimeout(100);
  const details = await page.evaluate(panelState);
  if (!details || details.hidden || !details.inFullscreen) fail('viewer', `${where}: a step clicked in full screen shows no details there`);
  else if (details.top > details.height - 60 || details.top < -2) fail('viewer', `${where}: in full screen the details start at ${Math.round(details.top)}px, out of the window`);
  await page.locator('.step-details-close').click();
  await page.locator('.viewer-bar [data-view="full"]').click();
  await page.waitForFunction(() => document.querySelector('[data-view="full"]').getAttribute('aria-pressed') === 'false', null, { timeout: 2000 }).catch(() => {});
  if ((await page.evaluate(viewState)).full) fail('viewer', `${where}: Exit full screen left it full screen`);
}

function checkPanel(fail, where, state, entry, step, focus) {
  if (!state || !entry) {
    fail('details', `${where}: no step details panel or no step entry for "${step}"`);
    return;
  }
  if (state.hidden) {
    fail('details', `${where}: the step details did not open`);
    return;
  }
  if (state.title !== entry.title) fail('details', `${where}: the details show "${state.title}", want "${entry.title}"`);
  if (!entry.instructions) fail('details', `${where}: step "${step}" has no work instructions to show`);
  else if (state.instructions !== entry.instructions) fail('details', `${where}: the details do not show the work instructions of "${step}"`);
  if (state.hash !== `#step-${step}`) fail('details', `${where}: the URL names ${state.hash || 'no step'}, want #step-${step}`);
  if (state.selected.join() !== step) fail('details', `${where}: the diagram marks ${JSON.stringify(state.selected)} as open, want ["${step}"]`);
  if (state.ids) fail('details', `${where}: the details copy ${state.ids} ids of the step list`);
  // Beside the diagram (or below it), and both in the window.
  if (state.top > state.height - 80 || state.top < -2) fail('details', `${where}: the details start at ${Math.round(state.top)}px, out of the ${state.height}px window`);
  if (state.figureBottom < 80 || state.figureTop > state.height) fail('details', `${where}: the diagram left the window when the details opened`);
  if (focus && !state.focused) fail('details', `${where}: keyboard focus did not move to the details`);
}

async function checkDetails(page, where, fail, steps, mobile) {
  await page.evaluate(() => window.scrollTo(0, 0));
  // Click on a step in the diagram.
  const node = page.locator(`figure.diagram g.node[data-step="${steps.click}"]`);
  const entry = await page.evaluate(stepEntry, steps.click);
  if (mobile) await node.tap();
  else await node.click();
  await page.waitForTimeout(100);
  const clicked = await page.evaluate(panelState);
  checkPanel(fail, `${where} (click on ${steps.click})`, clicked, entry, steps.click, false);
  if (clicked && !mobile && clicked.left < clicked.figureRight - 1) fail('details', `${where}: at this width the details should sit beside the diagram, not below it`);
  // Keyboard: Enter on another step's link moves focus into the details.
  const other = await page.evaluate(stepEntry, steps.keyboard);
  await page.locator(`figure.diagram g.node[data-step="${steps.keyboard}"]`).evaluate((g) => g.closest('a').focus());
  await page.keyboard.press('Enter');
  await page.waitForTimeout(100);
  checkPanel(fail, `${where} (Enter on ${steps.keyboard})`, await page.evaluate(panelState), other, steps.keyboard, true);
  // Escape closes them; the step list entries stay on the page.
  await page.keyboard.press('Escape');
  const closed = await page.evaluate(panelState);
  if (!closed.hidden) fail('details', `${where}: Escape did not close the details`);
  if (closed.hash) fail('details', `${where}: after closing, the URL still names ${closed.hash}`);
  if (closed.selected.length) fail('details', `${where}: after closing, the diagram still marks ${closed.selected} as open`);
  if (!(await page.evaluate(stepEntry, steps.keyboard))) fail('details', `${where}: the step list entry is gone`);
  // A "Next" link in the step list stays in the list: its entry in view and focused.
  const next = page.locator(`#step-${steps.click} dt:text-is("Next") + dd a`).first();
  const target = (await next.getAttribute('href')).slice(1);
  await next.click();
  await page.waitForTimeout(150);
  const at = await page.evaluate((id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return { top: r.top, height: window.innerHeight, focused: document.activeElement?.id === id, hash: window.location.hash };
  }, target);
  if (at.hash !== `#${target}`) fail('details', `${where}: the step list's Next link set ${at.hash}, want #${target}`);
  if (at.top < -2 || at.top > at.height - 40) fail('details', `${where}: after the step list's Next link, #${target} is not in view (top ${Math.round(at.top)}px)`);
  if (!at.focused) fail('details', `${where}: after the step list's Next link, #${target} has no focus`);
}
