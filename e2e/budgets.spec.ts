import { test } from '@playwright/test';
import { budgets, costHeatmap } from './journeys/costAndBudgets';
import { openApp, withoutFilePickers } from './journeys/helpers';

// The editor as an instrument (issue 15, item 2): the cost heatmap and budgets.
test.beforeEach(async ({ page }) => {
  await withoutFilePickers(page);
  await openApp(page);
});

test('cost heatmap: LeNet-5 coloured by MACs, then by parameters, with its legend', async ({
  page,
}) => costHeatmap(page));

test('budgets: pass/fail live in the status bar, kept across a reload, per variant in compare', async ({
  page,
}) => budgets(page));
