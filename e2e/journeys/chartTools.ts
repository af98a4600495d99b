import { expect, type Locator, type Page } from '@playwright/test';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { setSetting } from './compareTrain';
import { openTemplate, screenshot, SCREENSHOTS } from './helpers';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Clicks a chart tool and returns the downloaded file's name and bytes. */
async function download(page: Page, button: Locator): Promise<{ name: string; bytes: Buffer }> {
  const pending = page.waitForEvent('download');
  await button.click();
  const file = await pending;
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** The plot area's pixels (canvas: axes, grid and lines), to see that a toggle redrew it. */
async function pixels(chart: Locator): Promise<Buffer> {
  return chart.locator('.uchart__plot canvas').screenshot();
}

/** Hovers the middle of the plot area and returns the legend's live values. */
async function readout(page: Page, chart: Locator): Promise<string[]> {
  await chart.scrollIntoViewIfNeeded();
  const over = await chart.locator('.u-over').boundingBox();
  if (!over) throw new Error('the chart has no plot area on screen');
  await page.mouse.move(over.x + over.width * 0.6, over.y + over.height / 2, { steps: 4 });
  return chart.locator('.u-legend .u-value').allTextContents();
}

/**
 * Journey 7: the training charts' tools. Train LeNet-5 briefly; hovering reads every series
 * at an epoch; Log switches the loss axis; a legend click hides a series; a drag zooms and a
 * double-click resets; Save PNG and Save CSV download the chart and its data.
 */
export async function trainingChartTools(page: Page): Promise<void> {
  await openTemplate(page, 'lenet-5');
  await page.getByTestId('tab-training').click();
  await expect(page.getByTestId('train-chart-loss')).toContainText('No data yet');
  await screenshot(page, '7-chart-empty');
  await page.getByTestId('train-epochs').fill('2');
  await page.getByTestId('train-max-samples').fill('1024');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveText('finished', { timeout: 180_000 });
  const loss = page.getByTestId('train-chart-loss');
  await expect(loss).not.toHaveAttribute('data-points', '0');
  const legend = loss.locator('.u-legend .u-series th');
  await expect(legend).toHaveText(['epoch', 'train (batch)', 'train', 'validation']);

  // Hover: the x readout is an epoch in (0, 2], each series shows a number or a gap (—).
  const values = await readout(page, loss);
  expect(values).toHaveLength(4);
  const [epoch, batch] = values.map((v) => Number(v));
  expect(epoch).toBeGreaterThan(0);
  expect(epoch).toBeLessThanOrEqual(2);
  expect(batch).toBeGreaterThan(0);
  for (const v of values.slice(2)) expect(v).toMatch(/^(\d+(\.\d+)?|—)$/);
  await screenshot(page, '7-chart-hover');

  // Log scale: the axis changes (labels from 0 up → positive 1-2-5 steps; the canvas redrawn).
  await expect(loss).toHaveAttribute('data-y-ticks', /^0 /);
  const linear = await pixels(loss);
  await loss.getByTestId('train-chart-loss-log').click();
  await expect(loss).toHaveAttribute('data-log', 'true');
  await expect(loss).toHaveAttribute('data-y-ticks', /^(0\.[125]|[125]) .*[125]$/);
  await expect(loss.getByTestId('train-chart-loss-log')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await pixels(loss)).equals(linear)).toBe(false);
  await screenshot(page, '7-chart-log');

  // Legend: a click hides the validation series, a second shows it again.
  const before = await pixels(loss);
  const validation = loss.locator('.u-legend .u-series').nth(3);
  await validation.locator('th').click();
  await expect(validation).toHaveClass(/u-off/);
  await expect.poll(async () => (await pixels(loss)).equals(before)).toBe(false);
  await validation.locator('th').click();
  await expect(validation).not.toHaveClass(/u-off/);

  // Zoom: drag across the middle of the plot; double-click resets.
  const reset = loss.getByTestId('train-chart-loss-reset');
  await expect(reset).toBeDisabled();
  const over = await loss.locator('.u-over').boundingBox();
  if (!over) throw new Error('the loss chart has no plot area on screen');
  await page.mouse.move(over.x + over.width * 0.3, over.y + over.height / 2);
  await page.mouse.down();
  await page.mouse.move(over.x + over.width * 0.6, over.y + over.height / 2, { steps: 6 });
  await page.mouse.up();
  await expect(reset).toBeEnabled();
  await page.mouse.dblclick(over.x + over.width / 2, over.y + over.height / 2);
  await expect(reset).toBeDisabled();

  // Save PNG: a real PNG the size of the chart (at the screen's pixel density) or larger.
  const png = await download(page, loss.getByTestId('train-chart-loss-png'));
  expect(png.name).toBe('training-loss.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  await mkdir(SCREENSHOTS, { recursive: true });
  await writeFile(join(SCREENSHOTS, '7-chart-saved.png'), png.bytes);
  const image = PNG.sync.read(png.bytes);
  expect(image.width).toBeGreaterThanOrEqual(over.width);
  expect(image.height).toBeGreaterThan(over.height);

  // Save CSV: the header names every series; one row per x, the epochs carry validation values.
  const csv = await download(page, loss.getByTestId('train-chart-loss-csv'));
  expect(csv.name).toBe('training-loss.csv');
  const [header, ...rows] = csv.bytes.toString('utf8').trim().split('\n');
  expect(header).toBe('epoch,train (batch),train,validation');
  expect(rows.length).toBeGreaterThan(10);
  const cells = rows.map((r) => r.split(','));
  for (const row of cells) {
    expect(row).toHaveLength(4);
    for (const cell of row) expect(cell).toMatch(/^(-?\d+(\.\d+)?(e-?\d+)?)?$/);
  }
  const atEpoch = cells.filter((row) => row[3] !== '');
  expect(atEpoch.map((row) => row[0])).toEqual(['1', '2']);
  await screenshot(page, '7-chart-tools');

  // The light theme redraws the canvases in its colours (the theme is read from CSS).
  const dark = await pixels(loss);
  await page.getByLabel('Toggle theme').click();
  await expect.poll(async () => (await pixels(loss)).equals(dark)).toBe(false);
  await screenshot(page, '7-chart-light');
}

/**
 * Journey C6: the compare view's overlay chart has the same tools: every variant's series in
 * the hover readout, a log loss axis, legend toggles, PNG and CSV with one column per series.
 */
export async function compareChartTools(page: Page): Promise<void> {
  await openTemplate(page, 'lesson-fc-vs-gap-head');
  await setSetting(page, 'epochs', '1');
  await setSetting(page, 'maxTrainSamples', '512');
  await page.getByTestId('compare-train-all').click();
  for (const i of [0, 1])
    await expect(page.getByTestId(`variant-status-${i}`)).toHaveAttribute(
      'data-status',
      'completed',
      { timeout: 180_000 },
    );
  const chart = page.getByTestId('compare-curve');
  await expect(chart).toHaveAttribute('data-series', '2');
  const labels = ['FC head · train', 'FC head · validation'];
  labels.push('1×1 conv + GAP · train', '1×1 conv + GAP · validation');
  await expect(chart.locator('.u-legend .u-series th')).toHaveText(['epoch', ...labels]);

  const values = await readout(page, chart);
  expect(values).toHaveLength(5);
  expect(Number(values[0])).toBeGreaterThan(0);
  expect(Number(values[1])).toBeGreaterThan(0);
  expect(Number(values[3])).toBeGreaterThan(0);

  await expect(chart).toHaveAttribute('data-y-ticks', /^0 /);
  const linear = await pixels(chart);
  await chart.getByTestId('compare-curve-log').click();
  await expect(chart).toHaveAttribute('data-log', 'true');
  await expect(chart).toHaveAttribute('data-y-ticks', /^(0\.[125]|[125]) .*[125]$/);
  await expect.poll(async () => (await pixels(chart)).equals(linear)).toBe(false);

  const gap = chart.locator('.u-legend .u-series').nth(3);
  await gap.locator('th').click();
  await expect(gap).toHaveClass(/u-off/);
  await readout(page, chart);
  await screenshot(page, 'c6-compare-chart-tools');

  const png = await download(page, chart.getByTestId('compare-curve-png'));
  expect(png.name).toBe('comparison-loss.png');
  expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  await writeFile(join(SCREENSHOTS, 'c6-compare-chart-saved.png'), png.bytes);
  const csv = await download(page, chart.getByTestId('compare-curve-csv'));
  expect(csv.name).toBe('comparison-loss.csv');
  const [header, ...rows] = csv.bytes.toString('utf8').trim().split('\n');
  expect(header).toBe(['epoch', ...labels].join(','));
  expect(rows.length).toBeGreaterThan(4);
  // The one validation point of each variant sits at epoch 1.
  const last = rows.find((r) => r.startsWith('1,'))?.split(',');
  expect(Number(last?.[2])).toBeGreaterThan(0);
  expect(Number(last?.[4])).toBeGreaterThan(0);

  // The accuracy metric has no log axis.
  await page.getByTestId('compare-metric-accuracy').click();
  await expect(chart.getByTestId('compare-curve-log')).toHaveCount(0);
}
