import { test } from '@playwright/test';
import { openApp, withoutFilePickers } from './journeys/helpers';
import { seeInside, seeInsideResNet } from './journeys/seeInside';

// "See inside the network" (issue 6): the receptive-field overlay, Explain, gradient sparklines.
test.beforeEach(async ({ page }) => {
  await withoutFilePickers(page);
  await openApp(page);
});

test('see inside LeNet-5: field overlay, explain, gradient sparklines', async ({ page }) =>
  seeInside(page));
test('see inside ResNet-18: a residual block draws its larger branch', async ({ page }) =>
  seeInsideResNet(page));
