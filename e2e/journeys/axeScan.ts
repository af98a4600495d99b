import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * Runs axe-core on what the page shows now and fails on any serious or critical violation,
 * listing each rule with the first elements it flagged (the lesser impacts are reported, not
 * failed: they are advice, not barriers).
 */
export async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const barriers = results.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  const lines = barriers.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 4)
        .map((n) => `${n.target.join(' ')}${n.any[0] ? ` [${n.any[0].message}]` : ''}`)
        .join(' | ')}${v.nodes.length > 4 ? ` … ${v.nodes.length} in all` : ''}`,
  );
  expect(lines, `axe on ${what}`).toEqual([]);
}
