import { expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { openTemplate, screenshot, setParams } from './helpers';

/**
 * Journey 5: edit, save (the file is a valid graph document), reload (the work comes back),
 * undo and redo across the reload; a malformed file opens nothing and says why.
 */
export async function saveReloadUndo(page: Page): Promise<void> {
  await openTemplate(page, 'lenet-5');
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);

  await setParams(page, 'fc3', { out_features: '12' });
  await expect(page.getByTestId('node-shape-fc3')).toHaveText('12');
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,876');
  await expect(page.getByTestId('dirty-marker')).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByTestId('file-save').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('lenet-5.nnb.json');
  const saved = JSON.parse(await readFile(await file.path(), 'utf8')) as {
    format: string;
    nodes: { id: string; params?: Record<string, unknown> }[];
  };
  expect(saved.format).toBe('nnb-graph');
  expect(saved.nodes.find((n) => n.id === 'fc3')?.params?.out_features).toBe(12);
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);

  // A malformed file opens nothing, says why, and leaves the work untouched.
  await page.getByTestId('open-file-input').setInputFiles({
    name: 'broken.nnb.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{\n  "format": "nnb-graph",\n  "version": 1,\n  "nodes": [\n'),
  });
  await expect(page.getByTestId('notice')).toContainText('Cannot open broken.nnb.json');
  await expect(page.getByTestId('notice')).toContainText('line 5');
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,876');
  await screenshot(page, '5-malformed-file');

  await page.reload();
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,876');
  await expect(page.getByTestId('document-title')).toContainText('lenet-5.nnb.json');
  await expect(page.getByTestId('dirty-marker')).toHaveCount(0);

  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-shape-fc3')).toHaveText('10');
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
  await page.keyboard.press('Control+Shift+z');
  await expect(page.getByTestId('node-shape-fc3')).toHaveText('12');
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,876');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
  await page.getByTestId('redo').click();
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,876');
  await screenshot(page, '5-save-reload-undo-redo');
}
