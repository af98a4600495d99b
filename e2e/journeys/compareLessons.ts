import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareGraphs } from '../../src/core/compare/compareGraphs';
import { parseCompareJson, type CompareDocument } from '../../src/core/compare/compareDocument';
import { openTemplate, screenshot } from './helpers';

export const LESSONS = [
  'lesson-7x7-vs-3x3',
  'lesson-vanishing-gradients',
  'lesson-overfitting-dropout',
  'lesson-fc-vs-gap-head',
] as const;

/** A lesson as the test reads it from templates/, to compute what the table must show. */
export function lesson(name: string): CompareDocument {
  const text = readFileSync(join('templates', `${name}.nnb-compare.json`), 'utf8');
  const parsed = parseCompareJson(text);
  if (!parsed.ok) throw new Error(`${name}: ${parsed.error}`);
  return parsed.doc;
}

/** The values of one table row, left to right. */
export function rowValues(page: Page, metric: string) {
  return page
    .getByTestId('compare-table')
    .locator(`tr[data-metric="${metric}"] [data-testid="compare-value"]`);
}

const CHECKED = [
  'Parameters',
  'MACs',
  'Activation memory (per sample)',
  'Weighted layers (depth)',
  'Nonlinearities',
  'Receptive field at each output',
];

/**
 * Journey C1: every lesson opens from the gallery into the compare view, one column per
 * variant, with the numbers the core's analysis computes, the cheaper side marked.
 */
export async function openEveryLesson(page: Page): Promise<void> {
  for (const name of LESSONS) {
    const doc = lesson(name);
    const expected = compareGraphs(doc.variants);
    await openTemplate(page, name);
    await expect(page.getByTestId('compare-view')).toBeVisible();
    await expect(page.getByTestId('compare-title')).toHaveValue(doc.title);
    await expect(page.getByTestId('compare-description')).toContainText(
      doc.description.slice(0, 40),
    );
    for (const [i, v] of doc.variants.entries())
      await expect(page.getByTestId(`variant-name-${i}`)).toHaveValue(v.name);
    for (const metric of CHECKED) {
      const row = expected.rows.find((r) => r.metric === metric);
      if (!row) throw new Error(`no row ${metric}`);
      await expect(rowValues(page, metric), `${name}: ${metric}`).toHaveText([...row.display]);
    }
    await expect(page.getByTestId('compare-problems')).toHaveCount(0);
    await screenshot(page, `compare-${name}`);
    await page.getByTestId('compare-back').click();
    await expect(page.getByTestId('canvas')).toBeVisible();
  }
}

/**
 * Journey C2: the instructor's numbers, worked by hand. Stem 3·3·1·32 + 32 = 320, head
 * 32·7·7·10 + 10 = 15,690; middle block 7·7·32·32 + 32 = 50,208 (49·C²) against
 * 3·(3·3·32·32 + 32) = 27,744 (27·C²). The formulas show, the cheaper stack is marked best.
 */
export async function sevenBySevenNumbers(page: Page): Promise<void> {
  await openTemplate(page, 'lesson-7x7-vs-3x3');
  const one = 320 + 50_208 + 15_690;
  const three = 320 + 27_744 + 15_690;
  await expect(rowValues(page, 'Parameters')).toHaveText([
    one.toLocaleString('en-US'),
    three.toLocaleString('en-US'),
  ]);
  const params = page.getByTestId('compare-table').locator('tr[data-metric="Parameters"]');
  await expect(params.locator('td').nth(1)).toHaveClass(/is-best/);
  await expect(params.locator('td').nth(0)).toContainText(`${(one / three).toFixed(2)}×`);
  await expect(params.locator('td').nth(0)).toContainText('7·7·32·32 + 32');
  await expect(params.locator('td').nth(1)).toContainText('3 × (3·3·32·32 + 32)');
  await expect(rowValues(page, 'Nonlinearities')).toHaveText(['2', '4']);
  await expect(page.getByTestId('variant-0')).toContainText('Conv2d 7×7·32');
  await expect(page.getByTestId('variant-strip-1')).toContainText('3 ×');
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await screenshot(page, 'compare-light');
}
