import { expect, test } from '@playwright/test';
import { expectNoSeriousViolations } from './journeys/axeScan';
import { openApp, openTemplate, screenshot, withoutFilePickers } from './journeys/helpers';
import { buildLeNetByKeyboard } from './journeys/keyboardLeNet';

// Keyboard and accessibility (issue 15, item 6).
test.beforeEach(async ({ page }) => {
  await withoutFilePickers(page);
  await openApp(page);
});

test('keyboard only: LeNet-5 from an empty canvas, 61,706 params, 416,520 MACs', async ({
  page,
}) => {
  await buildLeNetByKeyboard(page);
  await expectNoSeriousViolations(page, 'the editor with LeNet-5 built from the keyboard');
});

test('axe: editor, dialogs and the compare view have no serious or critical violation', async ({
  page,
}) => {
  await expectNoSeriousViolations(page, 'the empty editor');
  await openTemplate(page, 'lenet-5');
  await page.getByTestId('node-conv1').locator('.layer-node__head').click();
  await expectNoSeriousViolations(page, 'the editor with LeNet-5, conv1 selected');
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expectNoSeriousViolations(page, 'the editor with LeNet-5 in the light theme');
  await page.getByRole('button', { name: 'Toggle theme' }).click();

  await page.keyboard.press('Escape');
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeFocused();
  await expectNoSeriousViolations(page, 'the shortcuts dialog');
  await screenshot(page, 'a11y-shortcuts');
  // Arrows scroll the dialog; they do not walk the selection behind it.
  const shortcuts = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
  await expect.poll(() => shortcuts.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(0);
  await page.keyboard.press('Escape');

  // A dialog takes the focus, keeps Tab inside, and gives the focus back when it closes.
  await page.getByTestId('open-templates').click();
  const dialog = page.getByRole('dialog', { name: 'Templates' });
  await expect(dialog).toBeFocused();
  await expect(page.getByTestId('template-lenet-5')).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await screenshot(page, 'a11y-templates-focus');
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button').last()).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await expectNoSeriousViolations(page, 'the templates dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('open-templates')).toBeFocused();

  await page.getByTestId('file-recent').click();
  await expect(page.getByRole('menu')).toBeVisible();
  await expectNoSeriousViolations(page, 'the recent files menu');
  await page.keyboard.press('Escape');

  await page.getByTestId('open-templates').click();
  await page.getByTestId('template-lesson-7x7-vs-3x3').click();
  await expect(page.getByTestId('compare-view')).toBeVisible();
  await expectNoSeriousViolations(page, 'the compare view (7×7 vs 3×3 lesson)');
  await screenshot(page, 'a11y-compare');
});
