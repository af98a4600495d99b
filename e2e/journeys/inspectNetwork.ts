import { expect, type Page } from '@playwright/test';
import { drawSeven, openTemplate, screenshot } from './helpers';

async function selectNode(page: Page, id: string): Promise<void> {
  await page.getByTestId(`node-${id}`).locator('.layer-node__head').click();
}

/**
 * Inspect journey: LeNet-5's insides before training (untrained feature maps), then after one
 * short epoch: conv1's 6 feature maps, its filters before and after, a drawn digit classified
 * live, and the validation images of an off-diagonal confusion cell.
 */
export async function inspectLeNet(page: Page): Promise<void> {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await openTemplate(page, 'lenet-5');
  await selectNode(page, 'conv1');
  await page.getByTestId('tab-inspect').click();
  const maps = page.getByTestId('feature-maps');
  await expect(maps.getByTestId('inspect-weights')).toContainText('untrained');
  await expect(maps.getByTestId('feature-map')).toHaveCount(6, { timeout: 60_000 });
  await expect(maps.getByTestId('feature-maps-channels')).toHaveText('6 channels of 28×28');
  await screenshot(page, 'inspect-1-untrained-maps');

  // One short epoch: 2,000 training digits.
  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-epochs').fill('1');
  await page.getByTestId('train-max-samples').fill('2000');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveText('finished', { timeout: 180_000 });

  await page.getByTestId('tab-inspect').click();
  await expect(maps.getByTestId('inspect-weights')).toHaveText('trained · best epoch 1');
  await expect(maps.getByTestId('feature-map')).toHaveCount(6);
  await expect(maps.getByTestId('feature-maps-channels')).toHaveText('6 channels of 28×28');
  await expect(maps.getByTestId('feature-maps-scale')).toHaveValue('shared');
  await expect(maps.getByTestId('colour-legend')).not.toContainText('low');
  // Another input image: the maps are computed again for it.
  await page.getByTestId('inspect-samples').locator('button').nth(3).click();
  await expect(page.getByTestId('inspect-samples').locator('button').nth(3)).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(maps).toHaveAttribute('aria-busy', 'false');
  await screenshot(page, 'inspect-2-trained-maps');
  await maps.getByTestId('feature-maps-scale').selectOption('per-channel');
  await expect(maps.getByTestId('colour-legend')).toContainText('low');
  await maps.getByTestId('feature-maps-scale').selectOption('shared');

  // A node after pooling: 16 channels of 5×5; the output: its 10 values.
  await selectNode(page, 'pool2');
  await expect(maps.getByTestId('feature-maps-channels')).toHaveText('16 channels of 5×5');
  await selectNode(page, 'fc3');
  await expect(maps.getByTestId('feature-maps-channels')).toHaveText('10 values (flat)');
  await expect(maps.getByTestId('feature-map')).toHaveCount(10);
  await screenshot(page, 'inspect-2b-output-values');
  await selectNode(page, 'conv1');

  await page.getByTestId('inspect-view-filters').click();
  const filters = page.getByTestId('filters');
  await expect(filters.getByTestId('filters-before').locator('canvas')).toHaveCount(6);
  await expect(filters.getByTestId('filters-after').locator('canvas')).toHaveCount(6);
  await expect(filters.getByTestId('filters-after')).toContainText('After training (best epoch 1)');
  await expect(filters.getByTestId('filters-shape')).toHaveText('6 filters of 1×5×5');
  await screenshot(page, 'inspect-3-filters');

  await drawSeven(page);
  const bars = page.getByTestId('draw-pad').getByTestId('prediction').locator('.bars li');
  await expect(bars).toHaveCount(10, { timeout: 20_000 });
  await expect(page.getByTestId('draw-pad').getByTestId('prediction-top')).toHaveText(/^\d /);
  await page.getByTestId('draw-pad-use').click();
  await expect(maps.getByTestId('feature-map')).toHaveCount(6);
  await expect(page.getByTestId('inspect-panel')).toContainText('using your drawing');
  await screenshot(page, 'inspect-4-draw');

  await page.getByTestId('inspect-view-mistakes').click();
  const cells = page.locator('[data-testid^="confusion-cell-"]:not([disabled])');
  let clicked: { t: number; p: number; n: number } | null = null;
  for (const cell of await cells.all()) {
    const [, t, p] = ((await cell.getAttribute('data-testid')) ?? '').match(/(\d+)-(\d+)$/) ?? [];
    const n = Number(await cell.textContent());
    if (t !== p && n > 0) {
      clicked = { t: Number(t), p: Number(p), n };
      await cell.click();
      break;
    }
  }
  if (clicked === null) throw new Error('no misclassified validation image after one epoch');
  const gallery = page.getByTestId('mistakes');
  await expect(gallery.getByTestId('mistakes-title')).toHaveText(
    `true ${clicked.t} → predicted ${clicked.p} (${clicked.n} image${clicked.n === 1 ? '' : 's'})`,
  );
  await expect(gallery.locator('canvas')).toHaveCount(Math.min(clicked.n, 60));
  await screenshot(page, 'inspect-5-mistakes');

  // The Training tab's matrix opens the same gallery.
  await page.getByTestId('tab-training').click();
  await expect(page.getByTestId('mistakes').getByTestId('mistakes-title')).toContainText(
    `true ${clicked.t} → predicted ${clicked.p}`,
  );
  await screenshot(page, 'inspect-6-training-tab-mistakes');

  // Another graph (AlexNet also has a conv1): its own initial weights, never LeNet's trained ones.
  await openTemplate(page, 'alexnet');
  await page.getByTestId('tab-inspect').click();
  await page.getByTestId('inspect-view-maps').click();
  await expect(page.getByTestId('inspect-note')).toContainText('trained a different graph');
  await expect(page.getByTestId('inspect-weights')).toHaveText(
    'untrained · initial weights, seed 42',
  );
  await expect(page.getByTestId('feature-maps')).toContainText('64 channels of 55×55', {
    timeout: 60_000,
  });
  await screenshot(page, 'inspect-7-other-graph-untrained');
  expect(pageErrors).toEqual([]);
}
