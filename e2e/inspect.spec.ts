import { test } from '@playwright/test';
import { openApp, withoutFilePickers } from './journeys/helpers';
import { inspectLeNet } from './journeys/inspectNetwork';

// The engine-backed "see inside" views (issue 6): feature maps, filters, draw a digit, mistakes.
test.beforeEach(async ({ page }) => {
  await withoutFilePickers(page);
  await openApp(page);
});

test('inspect LeNet-5: feature maps, filters before/after, draw a digit, mistakes', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await inspectLeNet(page);
});
