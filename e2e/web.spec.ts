import { test } from '@playwright/test';
import { layoutLargeGraph, layoutResNet } from './journeys/autoLayout';
import { buildLeNet } from './journeys/buildLeNet';
import { editingComforts } from './journeys/editingComforts';
import { fixLinearAfterConv } from './journeys/fixLinearAfterConv';
import { openApp, withoutFilePickers } from './journeys/helpers';
import { openResNet } from './journeys/openResNet';
import { saveReloadUndo } from './journeys/saveReloadUndo';
import { trainLeNet } from './journeys/trainLeNet';

// The journeys of a new user, in web mode (`npm run web`), in Debian's Chromium.
test.beforeEach(async ({ page }) => {
  await withoutFilePickers(page);
  await openApp(page);
});

test('1 · build LeNet-5 by dragging and connecting', async ({ page }) => buildLeNet(page));
test('2 · Linear after a conv: error on the node, one-click fix', async ({ page }) =>
  fixLinearAfterConv(page));
test('3 · open the ResNet-18 template', async ({ page }) => openResNet(page));
test('4 · train LeNet-5 for one epoch on the built-in digits', async ({ page }) =>
  trainLeNet(page));
test('5 · save, reload, undo, redo', async ({ page }) => saveReloadUndo(page));
test('6 · editing comforts from the keyboard', async ({ page }) => editingComforts(page));
test('7 · Layout: a skip path beside the main path, no overlaps', async ({ page }) =>
  layoutResNet(page));
test('8 · Layout of 500 nodes off the UI thread', async ({ page }) => layoutLargeGraph(page));
