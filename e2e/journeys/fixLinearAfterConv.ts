import { expect, type Page } from '@playwright/test';
import { connect, dragHandle, dragLayer, screenshot } from './helpers';

/**
 * Journey 2: Linear straight after a convolution is an error shown on the node with its
 * one-click fix (insert Flatten); a connection that would close a cycle is refused with the reason.
 */
export async function fixLinearAfterConv(page: Page): Promise<void> {
  await dragLayer(page, 'Input', 300, 60);
  await dragLayer(page, 'Conv2d', 300, 200);
  await dragLayer(page, 'Linear', 300, 420);
  await connect(page, 'input', 'conv1');
  await connect(page, 'conv1', 'fc1');

  const node = page.getByTestId('node-fc1');
  await expect(node).toHaveClass(/has-error/);
  await expect(page.getByTestId('node-problem-fc1')).toContainText(
    'expects a flat input but receives 16×26×26 — insert Flatten before it',
  );
  await expect(page.getByTestId('node-shape-fc1')).toHaveText('?');
  await expect(page.getByTestId('diagnostics').locator('li')).toHaveCount(1);
  await screenshot(page, '2-linear-after-conv-error');

  // Closing a loop is refused, with the reason.
  await dragHandle(page, 'fc1', 'conv1');
  await expect(page.getByTestId('notice')).toContainText('would make a cycle');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  await page.getByTestId('fix-fc1').click();
  await expect(page.getByTestId('node-flatten1')).toBeVisible();
  await expect(node).not.toHaveClass(/has-error/);
  await expect(page.getByTestId('node-shape-flatten1')).toHaveText('10816');
  await expect(page.getByTestId('node-shape-fc1')).toHaveText('10');
  await expect(page.getByTestId('summary-total-params')).toHaveText('108,330');
  await expect(page.getByTestId('diagnostics').locator('li')).toHaveCount(0);
  await screenshot(page, '2-linear-after-conv-fixed');
}
