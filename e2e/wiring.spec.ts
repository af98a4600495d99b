import { test } from '@playwright/test';
import { openApp, withoutFilePickers } from './journeys/helpers';
import { shapeAwareWiring } from './journeys/shapeAwareWiring';

// The editor as an instrument (issue 15): shape-aware wiring and splicing onto edges.
test.beforeEach(async ({ page }) => {
  await withoutFilePickers(page);
  await openApp(page);
});

test('shape-aware wiring: previews while dragging, the fix on drop, splice onto an edge', async ({
  page,
}) => shapeAwareWiring(page));
