import { test } from '@playwright/test';
import { compareChartTools, trainingChartTools } from './journeys/chartTools';
import { openApp, withoutFilePickers } from './journeys/helpers';

// The uPlot charts' tools (issue 10): hover readout, log scale, legend toggles, zoom, PNG and CSV.
test.beforeEach(async ({ page }) => {
  await withoutFilePickers(page);
  await openApp(page);
});

test('7 · training charts: readout, log scale, legend, zoom, save PNG and CSV', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await trainingChartTools(page);
});

test('C6 · compare chart: readout of every variant, log loss, legend, PNG and CSV', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await compareChartTools(page);
});
