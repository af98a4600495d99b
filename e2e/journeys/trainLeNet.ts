import { expect, type Page } from '@playwright/test';
import { createRequire } from 'node:module';
import { grayPng } from './grayPng';
import { openTemplate, screenshot } from './helpers';

/** Sample `index` of digit `digit` from the mnist package's data, 784 values in 0–1. */
function mnistDigit(digit: number, index: number): number[] {
  const { data } = createRequire(import.meta.url)(`mnist/src/digits/${digit}.json`) as {
    data: number[];
  };
  return data.slice(index * 784, (index + 1) * 784);
}

/**
 * Journey 4: train LeNet-5 for one epoch on the built-in digits; the progress bar moves, the
 * curves fill in, a validation accuracy and the confusion matrix appear.
 */
export async function trainLeNet(page: Page): Promise<void> {
  await openTemplate(page, 'lenet-5');
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-epochs').fill('1');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveText(/running|finished/, {
    timeout: 60_000,
  });
  await expect(page.getByTestId('train-backend')).not.toHaveText('—');
  await expect(page.getByTestId('train-chart-loss')).not.toHaveAttribute('data-points', '0', {
    timeout: 60_000,
  });
  await screenshot(page, '4-train-running');
  await expect(page.getByTestId('train-status')).toHaveText('finished', { timeout: 180_000 });
  await expect(page.getByTestId('train-val-accuracy')).toHaveText(/^\d+(\.\d)?%$/);
  const accuracy = Number(
    (await page.getByTestId('train-val-accuracy').textContent())?.replace('%', ''),
  );
  // One epoch of LeNet-5 on 8,000 digits reaches well above chance (10%).
  expect(accuracy).toBeGreaterThan(80);
  await expect(page.getByTestId('train-progress')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('confusion-matrix')).toBeVisible();
  await screenshot(page, '4-train-finished');

  // Predict: a handwritten 7 from the MNIST samples, as a PNG file the user picks.
  await page.getByTestId('tab-predict').click();
  await page.getByTestId('predict-file').setInputFiles({
    name: 'seven.png',
    mimeType: 'image/png',
    buffer: grayPng(28, 28, mnistDigit(7, 0)),
  });
  const bars = page.getByTestId('prediction').locator('.bars li');
  await expect(bars).toHaveCount(10);
  await expect(page.getByTestId('prediction').locator('.bars li.is-top span')).toHaveText('7');
  await expect(page.getByTestId('prediction-top')).toContainText('7');
  await screenshot(page, '4-predict');
}
