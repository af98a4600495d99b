import { expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { openTemplate, screenshot } from './helpers';
import { rowValues } from './compareLessons';

const BROKEN = {
  format: 'nnb-graph',
  version: 1,
  name: 'Missing Flatten',
  nodes: [
    { id: 'input', type: 'Input', params: { shape: [1, 28, 28] } },
    { id: 'fc', type: 'Linear', params: { out_features: 10 } },
  ],
  edges: [{ source: 'input', target: 'fc' }],
};

export async function setSetting(page: Page, key: string, value: string): Promise<void> {
  const field = page.getByTestId(`compare-${key}`);
  await field.fill(value);
  await field.press('Enter');
  await expect(page.getByTestId(`compare-${key}`)).toHaveValue(value);
}

/**
 * Journey C3: Train all on the FC-vs-GAP lesson for one short epoch, with a broken third
 * variant that is not trained and says why; the curves overlay one series per trained variant;
 * the comparison is saved with its results and reopens with its curves.
 */
export async function trainAllSaveReopen(page: Page): Promise<void> {
  // A broken graph in the editor joins the comparison as a third column.
  await page.evaluate((doc) => window.nnb.loadGraph(doc), BROKEN);
  await openTemplate(page, 'lesson-fc-vs-gap-head');
  await page.getByTestId('compare-add-editor').click();
  await expect(page.getByTestId('variant-name-2')).toHaveValue('Missing Flatten');
  await expect(page.getByTestId('variant-2')).toContainText('expects a flat input');

  await setSetting(page, 'epochs', '1');
  await setSetting(page, 'maxTrainSamples', '512');
  await page.getByTestId('compare-train-all').click();
  await expect(page.getByTestId('compare-stop')).toBeVisible();
  await expect(page.getByTestId('variant-status-0')).toHaveAttribute(
    'data-status',
    /running|completed/,
    {
      timeout: 60_000,
    },
  );
  await screenshot(page, 'compare-training');
  for (const i of [0, 1])
    await expect(page.getByTestId(`variant-status-${i}`)).toHaveAttribute(
      'data-status',
      'completed',
      {
        timeout: 180_000,
      },
    );
  await expect(page.getByTestId('variant-status-2')).toHaveAttribute('data-status', 'skipped');
  await expect(page.getByTestId('variant-error-2')).toContainText(
    'Not trained: the graph has errors. Linear "fc" expects a flat input',
  );
  await expect(page.getByTestId('compare-train-all')).toBeVisible();

  // One trained train + validation pair per variant; the broken one has no series.
  const curve = page.getByTestId('compare-curve');
  await expect(curve).toHaveAttribute('data-series', '2');
  await expect(curve.locator('.u-legend .u-series th')).toHaveText([
    'epoch',
    'FC head · train',
    'FC head · validation',
    '1×1 conv + GAP · train',
    '1×1 conv + GAP · validation',
  ]);
  await expect(curve).not.toHaveAttribute('data-points', '0');
  await expect(curve.getByTestId('compare-legend-entry')).toHaveText([
    'FC head',
    '1×1 conv + GAP',
    'Missing Flatten',
  ]);
  const accuracies = rowValues(page, 'Final validation accuracy');
  await expect(accuracies).toHaveText([/^\d+\.\d%$/, /^\d+\.\d%$/, '—']);
  const finals = await accuracies.allTextContents();
  console.log(`final validation accuracy after one epoch on 512 digits: ${finals.join(' | ')}`);
  // Eight batches already lift the fully connected head well above chance (10%).
  expect(Number(finals[0]?.replace('%', ''))).toBeGreaterThan(20);
  await page.getByTestId('compare-metric-accuracy').click();
  await screenshot(page, 'compare-trained');

  // Remove the broken column, rename one, save: the file carries the results.
  await page.getByTestId('variant-remove-2').click();
  await expect(page.getByTestId('variant-2')).toHaveCount(0);
  await page.getByTestId('variant-name-1').fill('GAP head');
  await page.getByTestId('variant-name-1').press('Enter');
  // Trained results are not silently thrown away: opening a lesson asks first; "Cancel" keeps them.
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await page.getByTestId('open-templates').click();
  await page.getByTestId('template-lesson-7x7-vs-3x3').click();
  await expect.poll(() => asked).toContain('training results that are not saved');
  await expect(page.getByTestId('variant-name-1')).toHaveValue('GAP head');
  await expect(rowValues(page, 'Final validation accuracy')).toHaveText(finals.slice(0, 2));

  const download = page.waitForEvent('download');
  await page.getByTestId('compare-save').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.nnb-compare\.json$/);
  const text = await readFile(await file.path(), 'utf8');
  const saved = JSON.parse(text) as {
    format: string;
    training: { epochs: number; maxTrainSamples: number };
    variants: {
      name: string;
      result?: { epochs: { valAccuracy: number }[]; trainSteps: unknown[] };
    }[];
  };
  expect(saved.format).toBe('nnb-compare');
  expect(saved.training).toMatchObject({ epochs: 1, maxTrainSamples: 512 });
  expect(saved.variants.map((v) => v.name)).toEqual(['FC head', 'GAP head']);
  for (const [i, v] of saved.variants.entries()) {
    expect(v.result?.epochs).toHaveLength(1);
    expect(`${((v.result?.epochs[0]?.valAccuracy ?? NaN) * 100).toFixed(1)}%`).toBe(finals[i]);
    expect(v.result?.trainSteps.length).toBeGreaterThan(1);
  }

  // Reopen after a reload: the same table, the same curves.
  await page.reload();
  await page.getByTestId('open-compare').click();
  await page.getByTestId('compare-open-input').setInputFiles({
    name: 'saved.nnb-compare.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect(page.getByTestId('variant-name-1')).toHaveValue('GAP head');
  await expect(rowValues(page, 'Final validation accuracy')).toHaveText(finals.slice(0, 2));
  await expect(page.getByTestId('compare-curve')).toHaveAttribute('data-series', '2');
  await screenshot(page, 'compare-reopened');

  // A malformed comparison opens nothing and names the field and variant.
  const bad = JSON.parse(text) as { variants: { graph: { nodes: { type: unknown }[] } }[] };
  const node = bad.variants[1]?.graph.nodes[1];
  if (node) node.type = 3;
  await page.getByTestId('compare-open-input').setInputFiles({
    name: 'bad.nnb-compare.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(bad)),
  });
  await expect(page.getByTestId('notice')).toContainText(
    'variants[1] ("GAP head").graph: nodes[1]',
  );
  await expect(page.getByTestId('variant-name-1')).toHaveValue('GAP head');

  // The editor's own File › Open recognises a comparison and opens it in the compare view.
  await page.reload();
  await expect(page.getByTestId('compare-view')).toHaveCount(0);
  await page.getByTestId('open-file-input').setInputFiles({
    name: 'from-editor.nnb-compare.json',
    mimeType: 'application/json',
    buffer: Buffer.from(text),
  });
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expect(rowValues(page, 'Final validation accuracy')).toHaveText(finals.slice(0, 2));
}

/**
 * Journey C4: the toolbar's Compare starts from the editor's graph; more graphs join from the
 * editor; a column opens back in the editor.
 */
export async function compareFromEditor(page: Page): Promise<void> {
  await openTemplate(page, 'lenet-5');
  await page.getByTestId('open-compare').click();
  await expect(page.getByTestId('variant-name-0')).toHaveValue('LeNet-5');
  await expect(rowValues(page, 'Parameters')).toHaveText(['61,706']);
  await page.getByTestId('compare-back').click();
  await openTemplate(page, 'mlp-digits');
  await page.getByTestId('open-compare').click();
  await page.getByTestId('compare-add-editor').click();
  await expect(rowValues(page, 'Parameters')).toHaveText(['61,706', '23,860']);
  await expect(rowValues(page, 'MACs')).toHaveText(['416,520', '23,820']);
  await screenshot(page, 'compare-from-editor');
  await page.getByTestId('variant-open-0').click();
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
  await expect(page.getByTestId('document-title')).toContainText('LeNet-5');
}

/**
 * Journey C5: the vanishing-gradients lesson for one epoch: three overlaid series, and the
 * first layer's gradient norm of the Sigmoid network orders of magnitude below ReLU's.
 */
export async function vanishingGradients(page: Page): Promise<void> {
  await openTemplate(page, 'lesson-vanishing-gradients');
  await setSetting(page, 'epochs', '1');
  await page.getByTestId('compare-train-all').click();
  for (const i of [0, 1, 2])
    await expect(page.getByTestId(`variant-status-${i}`)).toHaveAttribute(
      'data-status',
      'completed',
      { timeout: 180_000 },
    );
  await expect(page.getByTestId('compare-curve')).toHaveAttribute('data-series', '3');
  const cells = rowValues(page, 'Gradient norm at the first layer (last batch)');
  await expect(cells.first()).toHaveText(/^\d\.\d\d·10⁻[⁰¹²³⁴⁵⁶⁷⁸⁹]+$/);
  const norms = await cells.evaluateAll((els) =>
    els.map((el) => Number(el.getAttribute('data-value'))),
  );
  console.log(`gradient norm at fc1 after one epoch: ${norms.join(' | ')}`);
  const [sigmoid, relu, batchNorm] = norms as [number, number, number];
  expect(sigmoid * 100).toBeLessThan(relu);
  expect(sigmoid * 100).toBeLessThan(batchNorm);
  await page.getByTestId('compare-metric-accuracy').click();
  await screenshot(page, 'compare-vanishing-trained');
}
