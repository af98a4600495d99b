import { expect, test } from '@playwright/test';
import { openApp, screenshot } from './journeys/helpers';

// Web mode's access token (issue 16): the page without it explains how to get in; with it the
// app opens, keeps the token for reloads and takes it out of the address bar.

test('opened without the token: a clear way in, not a broken app', async ({ page }) => {
  await page.goto('/');
  const notice = page.getByTestId('no-token');
  await expect(notice).toContainText('Open NN Builder from its address in the terminal');
  await expect(notice).toContainText('/?token=');
  await expect(page.getByTestId('palette-item-Conv2d')).toHaveCount(0);
  await screenshot(page, 'access-no-token');
});

test('opened from the printed address: the app, the token out of the address bar', async ({
  page,
}) => {
  await openApp(page);
  await expect(page.getByTestId('palette-item-Conv2d')).toBeVisible();
  expect(new URL(page.url()).search).toBe('');
  // The server answered the page's first request (the host label shows its version).
  await expect(page.getByText(/web mode · v\d/)).toBeVisible();
  await page.reload();
  await expect(page.getByText(/web mode · v\d/)).toBeVisible();
  await expect(page.getByTestId('no-token')).toHaveCount(0);
});
