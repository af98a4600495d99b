import { test } from '@playwright/test';
import { openApp, withoutFilePickers } from './journeys/helpers';
import { profileBrokenGraph, profileLayers } from './journeys/profileLayers';

// Measured per-layer time (issue 15, item 3), in web mode: the engine profiles in a worker.
test.beforeEach(async ({ page }) => {
  await withoutFilePickers(page);
  await openApp(page);
});

test('profile: LeNet-5 layer times beside MACs, with totals, then the heatmap by time', async ({
  page,
}) => profileLayers(page));

test('profile: a graph with errors is refused with a clear message', async ({ page }) =>
  profileBrokenGraph(page));
