import { test } from '@playwright/test';
import { openApp, withoutFilePickers } from './journeys/helpers';
import { dropOnnxModel } from './journeys/importModel';
import { importedWeightsJourney } from './journeys/importWeights';

// Opening the models people already have, in web mode (`npm run web`), in Debian's Chromium.
test.beforeEach(async ({ page }) => {
  await withoutFilePickers(page);
  await openApp(page);
});

test('drop an ONNX file on the window: the graph, laid out, with its totals', async ({ page }) =>
  dropOnnxModel(page));

test('the imported weights are kept: Inspect shows them, Train fine-tunes them', async ({ page }) =>
  importedWeightsJourney(page));
