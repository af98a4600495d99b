import { expect, type Page } from '@playwright/test';
import { openTemplate, screenshot } from './helpers';

/** Journey 3: open the ResNet-18 template from the gallery and read its totals. */
export async function openResNet(page: Page): Promise<void> {
  await openTemplate(page, 'resnet-18');
  await expect(page.getByTestId('summary-total-params')).toHaveText('11,689,512');
  await expect(page.getByTestId('summary-total-macs')).toHaveText('1,814,073,344');
  await expect(page.getByTestId('node-shape-layer4_1')).toHaveText('512×7×7');
  await expect(page.getByTestId('diagnostics').locator('li')).toHaveCount(0);
  await expect(page.getByTestId('document-title')).toContainText('resnet-18.nnb.json');
  await screenshot(page, '3-resnet-18');
}
