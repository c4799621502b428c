// Portal checks of tests/browser/e2e.mjs, in a real browser:
//   process   a process page shows its workflows' diagrams with the steps
//             realizing its activities marked; pointing at or focusing an
//             activity marks its steps, leaving unmarks them
//   contents  the table of contents links to sections the page has, and
//             following an entry brings its section to the top
//   raci      the RACI overview's header row and first column stay in view
//             while its box scrolls (sticky); the box scrolls by keyboard;
//             the process and role filters hide rows and columns
//   search    the arrow keys move aria-activedescendant through the results,
//             Enter opens the active one, Escape closes the list; the matched
//             words are in <mark>

const PROCESS_PAGE = 'processes/incident-management.html';
const SEARCH_WORD = 'incident';

/** Marks of each activity's steps (runs in the browser). */
function activityMarks() {
  const figures = {};
  for (const f of document.querySelectorAll('figure.diagram[data-workflow]')) figures[f.dataset.workflow] = f;
  return [...document.querySelectorAll('article.activity[data-steps]')].map((article) => {
    const nodes = article.dataset.steps.split(' ').map((ref) => {
      const [workflow, step] = ref.split('/');
      return figures[workflow]?.querySelector(`g.node[data-step="${CSS.escape(step)}"]`) ?? null;
    });
    return {
      id: article.id,
      missing: nodes.filter((n) => !n).length,
      marked: nodes.filter((n) => n?.classList.contains('activity-hover')).length,
      realizes: nodes.filter((n) => n?.classList.contains('realizes')).length,
      count: nodes.length,
    };
  });
}

async function processTest(browser, { fileUrl, fail, watch, runAxe }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watch(page, () => `${PROCESS_PAGE} (portal)`);
  await page.goto(fileUrl(PROCESS_PAGE));
  const diagrams = await page.locator('figure.process-diagram svg').count();
  if (!diagrams) fail('process', `${PROCESS_PAGE}: no workflow diagram on the process page`);
  const fitted = await page.evaluate(() => [...document.querySelectorAll('figure.process-diagram')].every((f) => f.classList.contains('viewer-on')));
  if (!fitted) fail('process', `${PROCESS_PAGE}: a process page diagram is not in the viewer`);
  const before = await page.evaluate(activityMarks);
  if (!before.length) fail('process', `${PROCESS_PAGE}: no activity names its steps (data-steps)`);
  for (const a of before) {
    if (a.missing) fail('process', `${PROCESS_PAGE}: ${a.missing} steps of #${a.id} are not in the diagrams`);
    if (a.realizes !== a.count) fail('process', `${PROCESS_PAGE}: ${a.count - a.realizes} steps of #${a.id} are not marked as realizing`);
    if (a.marked) fail('process', `${PROCESS_PAGE}: #${a.id}'s steps are highlighted before anything points at it`);
  }
  const target = before.find((a) => a.count && !a.missing);
  if (!target) {
    await context.close();
    return;
  }
  const marksOf = async () => (await page.evaluate(activityMarks)).find((a) => a.id === target.id);
  const others = async () => (await page.evaluate(activityMarks)).filter((a) => a.id !== target.id && a.marked).map((a) => a.id);

  await page.locator(`#${target.id} h3`).hover();
  let now = await marksOf();
  if (now.marked !== now.count) fail('process', `${PROCESS_PAGE}: hovering #${target.id} highlights ${now.marked} of its ${now.count} steps`);
  const wrong = await others();
  if (wrong.length) fail('process', `${PROCESS_PAGE}: hovering #${target.id} also highlights the steps of ${wrong.join(', ')}`);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await runAxe(page, `${PROCESS_PAGE} (${scheme}, an activity highlighted)`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.mouse.move(5, 5);
  now = await marksOf();
  if (now.marked) fail('process', `${PROCESS_PAGE}: the highlight stays after the pointer left #${target.id}`);

  // By keyboard: focus a link inside the activity, then move focus away.
  await page.locator(`#${target.id} a`).first().focus();
  now = await marksOf();
  if (now.marked !== now.count) fail('process', `${PROCESS_PAGE}: focusing a link of #${target.id} highlights ${now.marked} of its ${now.count} steps`);
  await page.locator('#search-box').focus();
  await page.waitForTimeout(50);
  now = await marksOf();
  if (now.marked) fail('process', `${PROCESS_PAGE}: the highlight stays after focus left #${target.id}`);
  await context.close();
}

async function contentsTest(browser, { fileUrl, fail, watch }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  watch(page, () => `${PROCESS_PAGE} (contents)`);
  await page.goto(fileUrl(PROCESS_PAGE));
  const nav = page.locator('nav[aria-label="On this page"]');
  if ((await nav.count()) !== 1) {
    fail('contents', `${PROCESS_PAGE}: ${await nav.count()} <nav aria-label="On this page">, want 1`);
    await context.close();
    return;
  }
  const hrefs = await nav.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  if (hrefs.length < 3) fail('contents', `${PROCESS_PAGE}: the table of contents has ${hrefs.length} entries`);
  for (const href of hrefs) {
    const id = decodeURIComponent(href.slice(1));
    if (!href.startsWith('#') || !(await page.evaluate((i) => document.getElementById(i) !== null, id))) {
      fail('contents', `${PROCESS_PAGE}: contents entry ${href} names no element of the page`);
      continue;
    }
    await nav.locator(`a[href="${href}"]`).click();
    const top = await page.evaluate((i) => Math.round(document.getElementById(i).getBoundingClientRect().top), id);
    const atEnd = await page.evaluate(() => Math.ceil(window.scrollY + window.innerHeight) >= document.documentElement.scrollHeight - 1);
    if (!page.url().endsWith(href)) fail('contents', `${PROCESS_PAGE}: following ${href} leads to ${page.url()}`);
    if ((top < -2 || top > 40) && !atEnd) fail('contents', `${PROCESS_PAGE}: after following ${href} its heading is at ${top}px, not at the top`);
    await page.evaluate(() => window.scrollTo(0, 0));
  }
  await context.close();
}

/** Where the matrix's header row and first column are, against its box (runs in the browser). */
function raciGeometry() {
  const box = document.querySelector('.raci-scroll');
  const table = box.querySelector('table.raci-matrix');
  const head = table.tHead.rows[0].cells[1];
  const row = [...table.tBodies].flatMap((b) => [...b.rows]).find((r) => !r.classList.contains('raci-group') && !r.hidden);
  const first = row.cells[0];
  const b = box.getBoundingClientRect();
  return {
    // From the inside of the box's border: 0 is stuck to its edge.
    headTop: Math.round(head.getBoundingClientRect().top - b.top - box.clientTop),
    firstLeft: Math.round(first.getBoundingClientRect().left - b.left - box.clientLeft),
    scrollTop: box.scrollTop,
    scrollLeft: box.scrollLeft,
    scrollable: [box.scrollHeight > box.clientHeight, box.scrollWidth > box.clientWidth],
  };
}

/** What the matrix shows now (runs in the browser). */
function raciShown() {
  const table = document.querySelector('.raci-scroll table.raci-matrix');
  const visible = (el) => !el.hidden && el.getClientRects().length > 0;
  const rows = [...table.tBodies].flatMap((b) => [...b.rows]).filter((r) => !r.classList.contains('raci-group'));
  return {
    columns: [...table.tHead.rows[0].cells].filter(visible).length - 1,
    allColumns: table.tHead.rows[0].cells.length - 1,
    rows: rows.filter(visible).length,
    allRows: rows.length,
    bodies: [...table.tBodies].filter(visible).length,
    status: document.querySelector('.raci-filter output')?.textContent ?? '',
  };
}

async function raciTest(browser, { fileUrl, fail, watch, runAxe }) {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    const where = `raci.html at ${viewport.width}px`;
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    watch(page, () => where);
    await page.goto(fileUrl('raci.html'));
    const start = await page.evaluate(raciGeometry);
    if (!start.scrollable[0]) fail('raci', `${where}: the matrix box does not scroll vertically (its header row cannot stick)`);
    // Scrolled down and right by keyboard: the box takes focus, the arrow keys scroll it.
    await page.locator('.raci-scroll').focus();
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(300);
    const moved = await page.evaluate(raciGeometry);
    if (moved.scrollTop <= start.scrollTop) fail('raci', `${where}: the arrow keys do not scroll the focused matrix`);
    await page.evaluate(() => {
      const box = document.querySelector('.raci-scroll');
      box.scrollTop = 400;
      box.scrollLeft = 400;
    });
    const scrolled = await page.evaluate(raciGeometry);
    // Scrolled, the header row sits at the box's top edge and the first
    // column at its left edge, however far the box scrolled.
    if (Math.abs(scrolled.headTop) > 1) {
      fail('raci', `${where}: scrolled down ${scrolled.scrollTop}px, the header row is ${scrolled.headTop}px from the box's top (not sticky)`);
    }
    if (scrolled.scrollLeft > 0 && Math.abs(scrolled.firstLeft) > 1) {
      fail('raci', `${where}: scrolled right ${scrolled.scrollLeft}px, the first column is ${scrolled.firstLeft}px from the box's left (not sticky)`);
    }
    if (viewport.width === 390 && scrolled.scrollLeft === 0) fail('raci', `${where}: the matrix does not scroll sideways on a phone`);
    await page.evaluate(() => {
      const box = document.querySelector('.raci-scroll');
      box.scrollTop = 0;
      box.scrollLeft = 0;
    });

    // The filters.
    const all = await page.evaluate(raciShown);
    const [processSelect, roleSelect] = [page.locator('.raci-filter select').nth(0), page.locator('.raci-filter select').nth(1)];
    if (!(await processSelect.count()) || !(await roleSelect.count())) {
      fail('raci', `${where}: no process and role filter`);
      await context.close();
      continue;
    }
    if (all.columns !== all.allColumns || all.rows !== all.allRows) fail('raci', `${where}: unfiltered, the matrix hides something: ${JSON.stringify(all)}`);
    await roleSelect.selectOption({ index: 1 });
    const byRole = await page.evaluate(raciShown);
    if (byRole.columns !== 1) fail('raci', `${where}: filtered by one role, ${byRole.columns} role columns show`);
    if (!(byRole.rows > 0 && byRole.rows < all.rows)) fail('raci', `${where}: filtered by one role, ${byRole.rows} of ${all.rows} activities show`);
    if (!byRole.status.includes(`${byRole.rows} activit`)) fail('raci', `${where}: the status says "${byRole.status}" for ${byRole.rows} activities`);
    await roleSelect.selectOption({ index: 0 });
    await processSelect.selectOption({ index: 1 });
    const byProcess = await page.evaluate(raciShown);
    if (byProcess.bodies !== 1) fail('raci', `${where}: filtered by one process, ${byProcess.bodies} processes show`);
    if (byProcess.columns !== all.allColumns) fail('raci', `${where}: the process filter hides role columns`);
    if (!(byProcess.rows > 0 && byProcess.rows < all.rows)) fail('raci', `${where}: filtered by one process, ${byProcess.rows} of ${all.rows} activities show`);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await runAxe(page, `${where} (${scheme}, filtered)`);
    }
    await context.close();
  }
}

async function searchKeysTest(browser, { fileUrl, fail, watch }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const where = 'index.html (search keys)';
  watch(page, () => where);
  await page.goto(fileUrl('index.html'));
  const box = page.locator('#search-box');
  await box.click();
  await box.pressSequentially(SEARCH_WORD, { delay: 10 });
  await page.locator('#search-results [role="option"]').first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => {});
  const state = () => page.evaluate(() => {
    const input = document.getElementById('search-box');
    const options = [...document.querySelectorAll('#search-results [role="option"]')];
    return {
      expanded: input.getAttribute('aria-expanded'),
      active: input.getAttribute('aria-activedescendant'),
      ids: options.map((o) => o.id),
      selected: options.filter((o) => o.getAttribute('aria-selected') === 'true').map((o) => o.id),
      marks: [...document.querySelectorAll('#search-results mark')].map((m) => m.textContent),
      focusInBox: document.activeElement === input,
    };
  });
  let s = await state();
  if (s.expanded !== 'true') fail('search', `${where}: aria-expanded is ${s.expanded} with results shown`);
  if (s.ids.length < 2) {
    fail('search', `${where}: ${s.ids.length} results for "${SEARCH_WORD}"`);
    await context.close();
    return;
  }
  if (!s.marks.length) fail('search', `${where}: no <mark> in the results for "${SEARCH_WORD}"`);
  const wrongMarks = s.marks.filter((m) => m.toLowerCase() !== SEARCH_WORD);
  if (wrongMarks.length) fail('search', `${where}: marked text that is not the query: ${JSON.stringify(wrongMarks.slice(0, 3))}`);
  if (s.active) fail('search', `${where}: a result is active before any arrow key`);
  await box.press('ArrowDown');
  s = await state();
  if (s.active !== s.ids[0] || s.selected.join() !== s.ids[0]) fail('search', `${where}: ArrowDown makes ${s.active} active, want the first result ${s.ids[0]}`);
  await box.press('ArrowDown');
  s = await state();
  if (s.active !== s.ids[1]) fail('search', `${where}: a second ArrowDown makes ${s.active} active, want ${s.ids[1]}`);
  await box.press('ArrowUp');
  s = await state();
  if (s.active !== s.ids[0]) fail('search', `${where}: ArrowUp makes ${s.active} active, want ${s.ids[0]}`);
  if (!s.focusInBox) fail('search', `${where}: focus left the search box while moving through the results`);
  await box.press('ArrowDown');
  const href = await page.evaluate(() => document.getElementById(document.getElementById('search-box').getAttribute('aria-activedescendant')).href);
  await box.press('Enter');
  try {
    await page.waitForURL(href, { timeout: 5000 });
  } catch {
    fail('search', `${where}: Enter on the active (second) result lands on ${page.url()}, want ${href}`);
  }
  // Escape closes the list.
  await page.goto(fileUrl('index.html'));
  await page.locator('#search-box').pressSequentially(SEARCH_WORD);
  await page.locator('#search-box').press('ArrowDown');
  await page.locator('#search-box').press('Escape');
  s = await state();
  if (s.expanded !== 'false' || s.ids.length || s.active) fail('search', `${where}: after Escape: ${JSON.stringify(s)}`);
  await context.close();
}

/** The portal checks; `ctx` brings the helpers of e2e.mjs. */
export async function portalTests(browser, ctx) {
  await processTest(browser, ctx);
  await contentsTest(browser, ctx);
  await raciTest(browser, ctx);
  await searchKeysTest(browser, ctx);
}
