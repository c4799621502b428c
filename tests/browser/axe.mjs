// axe-core (MPL-2.0, pinned in package-lock.json) run inside a page: the
// accessibility rules a person with a screen reader or keyboard trips over,
// WCAG 2.x A and AA. The script is read from node_modules and injected, so
// nothing is fetched and the site under test stays unchanged on disk.

import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** The axe violations of the page as it is now, one line each: rule, impact, first targets. */
export async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      // Nothing fetched: on file:// the stylesheets cannot be read back anyway.
      preload: false,
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      count: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
      summary: (v.nodes[0]?.failureSummary || '').split('\n').slice(0, 2).join(' '),
    }));
  });
  return violations.map(
    (v) => `${v.id} (${v.impact}, ${v.count}×): ${v.targets.join(', ')}${v.count > 3 ? ', …' : ''} — ${v.summary}`,
  );
}
