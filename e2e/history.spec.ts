import { test } from '@playwright/test';
import { openApp, withoutFilePickers } from './journeys/helpers';
import { versionHistory } from './journeys/versionHistory';

// The editor as an instrument (issue 15, item 4): version history linked to runs.
test.beforeEach(async ({ page }) => {
  // Two short trainings, a reload and a recovered crash.
  test.setTimeout(360_000);
  await withoutFilePickers(page);
  await openApp(page);
});

test('version history: edits and runs kept, two versions diffed with both curves, across a reload and a crash', async ({
  page,
}) => versionHistory(page));
