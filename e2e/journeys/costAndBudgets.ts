import { expect, type Page } from '@playwright/test';
import { openTemplate, screenshot } from './helpers';

// LeNet-5 by MACs: conv2 does 240,000 of 416,520 (57.6%), conv1 117,600 (28.2%), ReLUs none.
const MACS = 416_520;

/**
 * The cost heatmap (issue 15, item 2) on LeNet-5: coloured by MACs, conv2 is the top step of the
 * palette and the legend names it; by parameters fc1 takes over.
 */
export async function costHeatmap(page: Page): Promise<void> {
  await openTemplate(page, 'lenet-5');
  await expect(page.getByTestId('heatmap-legend')).toHaveCount(0);
  await expect(page.getByTestId('node-conv2')).not.toHaveAttribute('data-heat-share');

  await page.getByTestId('heatmap-toggle').click();
  await expect(page.getByTestId('heatmap-toggle')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('heatmap-metric-macs').click();
  const legend = page.getByTestId('heatmap-legend');
  await expect(legend).toHaveAttribute('data-metric', 'macs');
  await expect(legend).toContainText('Share of all MACs');
  await expect(legend).toContainText('total 416,520');
  await expect(page.getByTestId('heatmap-top')).toHaveText('Costliest: conv2 57.6%');

  const conv2 = page.getByTestId('node-conv2');
  await expect(conv2).toHaveAttribute('data-heat-step', '5');
  expect(Number(await conv2.getAttribute('data-heat-share'))).toBeCloseTo(240_000 / MACS, 9);
  await expect(page.getByTestId('node-heat-conv2')).toHaveText('57.6% MACs');
  // The top step of viridis, with dark text on it.
  await expect(conv2).toHaveCSS('background-color', 'rgb(253, 231, 37)');
  await expect(page.getByTestId('node-conv1')).toHaveAttribute('data-heat-step', '2');
  await expect(page.getByTestId('node-relu1')).toHaveAttribute('data-heat-step', '-1');
  await expect(page.getByTestId('node-heat-relu1')).toHaveText('0% MACs');
  await page.getByTestId('fit-view').click();
  await screenshot(page, 'heatmap-macs');

  await page.getByTestId('heatmap-metric-params').click();
  await expect(page.getByTestId('heatmap-top')).toHaveText('Costliest: fc1 78.0%');
  await expect(page.getByTestId('node-fc1')).toHaveAttribute('data-heat-step', '5');
  await expect(conv2).not.toHaveAttribute('data-heat-step', '5');
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await screenshot(page, 'heatmap-params-light');
  await page.getByRole('button', { name: 'Toggle theme' }).click();

  await page.getByTestId('heatmap-toggle').click();
  await expect(legend).toHaveCount(0);
  await expect(conv2).not.toHaveAttribute('data-heat-share');
}

/**
 * Budgets on LeNet-5 (61,706 params): params ≤ 60,000 fails, ≤ 62,000 passes, RF ≥ 28 passes
 * (its Linear output sees the whole input); the status bar says so live, the budgets survive a
 * reload (autosave), and the compare view shows them per variant — LeNet from the editor, then
 * the 7×7-vs-3×3 lesson with one budget for both (66,218 fails, 43,754 passes).
 */
export async function budgets(page: Page): Promise<void> {
  await openTemplate(page, 'lenet-5');
  await expect(page.getByTestId('budget-status')).toHaveCount(0);
  const status = (kind: string) => page.getByTestId(`budget-status-${kind}`);

  await page.getByTestId('budget-params').fill('60000');
  await expect(status('params')).toHaveAttribute('data-status', 'fail');
  await expect(status('params')).toContainText('61,706 > 60,000');
  await expect(page.getByTestId('budget-status')).toHaveAttribute('data-failed', '1');
  await screenshot(page, 'budgets-fail');

  await page.getByTestId('budget-params').fill('62,000');
  await expect(status('params')).toHaveAttribute('data-status', 'pass');
  await expect(status('params')).toContainText('61,706 ≤ 62,000');
  await page.getByTestId('budget-rf').fill('28');
  await expect(status('rf')).toHaveAttribute('data-status', 'pass');
  await expect(status('rf')).toContainText('whole input ≥ 28');
  await expect(page.getByTestId('budget-status')).toHaveAttribute('data-failed', '0');
  // An entry that does not read as a number is flagged and changes nothing.
  await page.getByTestId('budget-macs').fill('lots');
  await expect(page.getByTestId('budget-macs')).toHaveAttribute('aria-invalid', 'true');
  await expect(status('macs')).toHaveCount(0);
  await page.getByTestId('budget-macs').fill('');
  await expect(page.getByTestId('budget-macs')).toHaveAttribute('aria-invalid', 'false');
  await screenshot(page, 'budgets-pass');
  expect(await page.evaluate(() => window.nnb.getGraph().budgets)).toEqual({
    params: { max: 62000 },
    receptiveField: { min: 28 },
  });

  // Autosave: the budgets are in the document, so a reload brings them back.
  await expect
    .poll(() => page.evaluate(() => localStorage.getItem('nnb.session.v1') ?? ''))
    .toContain('"receptiveField":{"min":28}');
  await page.reload();
  await expect(page.getByTestId('node-conv2')).toBeVisible();
  await expect(page.getByTestId('budget-params')).toHaveValue('62,000');
  await expect(page.getByTestId('budget-rf')).toHaveValue('28');
  await expect(status('params')).toHaveAttribute('data-status', 'pass');
  await expect(status('rf')).toHaveAttribute('data-status', 'pass');

  // The compare view: the editor's graph keeps its budgets in its column.
  await page.getByTestId('open-compare').click();
  const cells = (kind: string) => page.getByTestId(`compare-budget-${kind}`);
  await expect(cells('params')).toHaveCount(1);
  await expect(cells('params')).toHaveAttribute('data-status', 'pass');
  await expect(cells('rf')).toHaveAttribute('data-status', 'pass');
  await expect(page.getByTestId('compare-budget-input-params')).toHaveValue('62,000');

  // A lesson: one budget for every variant, each column passes or fails on its own numbers.
  await openTemplate(page, 'lesson-7x7-vs-3x3');
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(cells('params')).toHaveCount(0);
  await page.getByTestId('compare-budget-input-params').fill('60000');
  await expect(cells('params')).toHaveCount(2);
  await expect(cells('params').nth(0)).toHaveAttribute('data-status', 'fail');
  await expect(cells('params').nth(0)).toContainText('66,218 > 60,000');
  await expect(cells('params').nth(1)).toHaveAttribute('data-status', 'pass');
  await expect(cells('params').nth(1)).toContainText('43,754 ≤ 60,000');
  await page.getByTestId('compare-budget-input-rf').fill('28');
  await expect(cells('rf').nth(0)).toHaveAttribute('data-status', 'pass');
  await expect(cells('rf').nth(1)).toHaveAttribute('data-status', 'pass');
  await page.getByTestId('compare-budgets').scrollIntoViewIfNeeded();
  await screenshot(page, 'compare-budgets');
}
