import { test } from '@playwright/test';
import { openEveryLesson, sevenBySevenNumbers } from './journeys/compareLessons';
import { compareFromEditor, trainAllSaveReopen, vanishingGradients } from './journeys/compareTrain';
import { openApp, withoutFilePickers } from './journeys/helpers';

// The compare view (issue 6): lessons from the gallery, Train all, save and reopen.
test.beforeEach(async ({ page }) => {
  await withoutFilePickers(page);
  await openApp(page);
});

test('C1 · every lesson opens in the compare view with the analysis numbers', async ({ page }) =>
  openEveryLesson(page));
test('C2 · 7×7 vs three 3×3: 49·C² vs 27·C², the cheaper marked', async ({ page }) =>
  sevenBySevenNumbers(page));
test('C3 · Train all one short epoch, overlaid curves, save and reopen', async ({ page }) =>
  trainAllSaveReopen(page));
test('C4 · Compare from the editor, add its graph, open a column in the editor', async ({ page }) =>
  compareFromEditor(page));
test('C5 · vanishing gradients: Sigmoid’s first-layer gradient far below ReLU’s', async ({
  page,
}) => vanishingGradients(page));
