import { expect, type Page } from '@playwright/test';
import { openTemplate, screenshot } from './helpers';

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
  await expect(page.getByTestId('train-curve').locator('polyline').first()).toBeVisible({
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
}
