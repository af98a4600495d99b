import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { analyze } from '../../src/core/analysis/analyze';
import { fieldBox } from '../../src/core/analysis/fieldBox';
import type { GraphDocument } from '../../src/core/graph/document';
import { openTemplate, screenshot, SCREENSHOTS } from './helpers';

const LENET = JSON.parse(readFileSync('templates/lenet-5.nnb.json', 'utf8')) as GraphDocument;

/** Selects a node by clicking its title bar. */
async function select(page: Page, id: string): Promise<void> {
  await page.getByTestId(`node-${id}`).locator('.layer-node__head').click();
  await expect(page.getByTestId('inspector').getByTestId('node-name')).toHaveValue(id);
}

/** Clicks unit (row, col) of the overlay's output grid. */
async function pickUnit(page: Page, row: number, col: number, rows: number, cols: number) {
  const grid = page.getByTestId('rf-output');
  const box = await grid.boundingBox();
  if (!box) throw new Error('the output grid is not on screen');
  await grid.click({
    position: { x: ((col + 0.5) * box.width) / cols, y: ((row + 0.5) * box.height) / rows },
  });
}

const rowsCols = (b: { top: number; left: number; bottom: number; right: number }) => {
  const n = (v: number) => (v < 0 ? `−${-v}` : String(v));
  return `rows ${n(b.top)}…${n(b.bottom)}, cols ${n(b.left)}…${n(b.right)}`;
};

/**
 * See inside LeNet-5: the receptive-field overlay of conv2 (numbers from the analysis, a border
 * unit reaching into the padding), Explain with conv2's own formula, then one short epoch of
 * training after which the weighted nodes carry gradient-norm sparklines.
 */
export async function seeInside(page: Page): Promise<void> {
  const analysis = analyze(LENET);
  const conv2 = analysis.nodes.get('conv2');
  const field = conv2?.receptiveField;
  if (!field) throw new Error('the analysis gives conv2 no receptive field');

  await openTemplate(page, 'lenet-5');
  await select(page, 'conv2');
  const overlay = page.getByTestId('rf-overlay');
  await overlay.scrollIntoViewIfNeeded();
  // conv1 is 'same'-padded (5×5, padding 2), so conv2 sees 14×14 pixels, 2 apart, from 4.5.
  await expect(overlay.getByTestId('rf-size')).toHaveText(String(field.size[0]));
  await expect(overlay.getByTestId('rf-jump')).toHaveText(String(field.jump[0]));
  await expect(overlay.getByTestId('rf-start')).toHaveText(String(field.start[0]));

  // A border unit: bottom-left of conv2's 10×10 output, whose field hangs into the padding.
  await pickUnit(page, 9, 0, 10, 10);
  await expect(overlay.getByTestId('rf-position')).toHaveText('(9, 0)');
  const box = fieldBox(analysis, 'conv2', 9, 0);
  if (!box) throw new Error('no field box for conv2 (9, 0)');
  await expect(overlay.getByTestId('rf-box')).toHaveText(rowsCols(box.field));
  await expect(overlay.getByTestId('rf-box')).toHaveText('rows 16…29, cols −2…11');
  await expect(overlay.getByTestId('rf-visible')).toHaveText(rowsCols(box.visible));
  await expect(overlay).toContainText('in the padding: 2 bottom, 2 left');
  // A 28×28 input gets a real validation digit under the grid.
  await expect(overlay.locator('image')).toHaveCount(1);
  await screenshot(page, 'see-inside-rf-overlay');
  await overlay.screenshot({ path: 'test-results/screenshots/see-inside-rf-overlay-detail.png' });
  await overlay.screenshot({ path: `${SCREENSHOTS}/see-inside-rf-panel.png` });

  // Explain: conv2's own parameter formula, the analysis' trace line.
  const explain = page.getByTestId('explain');
  await explain.scrollIntoViewIfNeeded();
  await expect(explain.getByTestId('explain-params')).toContainText(
    'params = 5·5·6·16 + 16 = 2,416',
  );
  await expect(explain.getByTestId('explain-params-result')).toHaveText('2,416');
  await expect(explain.getByTestId('explain-shape')).toContainText('H_out = W_out');
  await screenshot(page, 'see-inside-explain');

  // Train one short epoch: every weighted node gets a sparkline, the others none.
  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-epochs').fill('1');
  await page.getByTestId('train-max-samples').fill('1920');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveText('finished', { timeout: 180_000 });
  for (const id of ['conv1', 'conv2', 'fc1', 'fc2', 'fc3']) {
    const spark = page.getByTestId(`grad-spark-${id}`);
    await expect(spark).toBeVisible();
    await expect(spark).toHaveAttribute('title', /latest \d/);
    await expect(spark.locator('polyline')).toHaveAttribute('points', /\d/);
  }
  for (const id of ['input', 'relu1', 'pool1', 'flatten'])
    await expect(page.getByTestId(`grad-spark-${id}`)).toHaveCount(0);
  // Show the weighted nodes at a readable zoom: the summary dock is shorter, then pan down.
  await page.getByTestId('tab-summary').click();
  const canvas = await page.getByTestId('canvas').boundingBox();
  if (!canvas) throw new Error('the canvas is not on screen');
  const x = canvas.x + 120;
  await page.mouse.move(x, canvas.y + canvas.height - 30);
  await page.mouse.down();
  await page.mouse.move(x, canvas.y + 160, { steps: 10 });
  await page.mouse.up();
  await page.getByTestId('grad-spark-conv2').hover();
  await screenshot(page, 'see-inside-sparklines');
  await page.getByTestId('node-conv2').screenshot({
    path: 'test-results/screenshots/see-inside-sparkline-node.png',
    scale: 'device',
  });
}

/** ResNet-18: a residual block's overlay says which branch it draws. */
export async function seeInsideResNet(page: Page): Promise<void> {
  await openTemplate(page, 'resnet-18');
  await select(page, 'layer1_0');
  const overlay = page.getByTestId('rf-overlay');
  await overlay.scrollIntoViewIfNeeded();
  await expect(overlay.getByTestId('rf-branches').locator('li')).toHaveCount(2);
  await expect(overlay).toContainText('the drawn field is the largest');
  await pickUnit(page, 0, 0, 56, 56);
  await expect(overlay.getByTestId('rf-position')).toHaveText('(0, 0)');
  await screenshot(page, 'see-inside-resnet-block');
  await overlay.screenshot({ path: `${SCREENSHOTS}/see-inside-resnet-panel.png` });
  // The light theme draws the same overlay with its own colours.
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await pickUnit(page, 27, 27, 56, 56);
  await expect(overlay.getByTestId('rf-position')).toHaveText('(27, 27)');
  await screenshot(page, 'see-inside-resnet-light');
  await page.getByRole('button', { name: 'Toggle theme' }).click();
}
