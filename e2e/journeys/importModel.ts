import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { analyze } from '../../src/core/analysis/analyze';
import type { GraphDocument } from '../../src/core/graph/document';
import { parseGraphJson } from '../../src/core/graph/parseGraph';
import { initialStateDict } from '../../src/core/weights/initialStateDict';
import { exportOnnx } from '../../src/export/onnx/exportOnnx';
import { screenshot } from './helpers';

/** The LeNet-5 template. */
export function lenetGraph(): GraphDocument {
  const parsed = parseGraphJson(readFileSync(join('templates', 'lenet-5.nnb.json'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.graph;
}

/** LeNet-5 written as ONNX by our own exporter (the file a user would have from PyTorch). */
function lenetOnnx(): Uint8Array {
  const graph = lenetGraph();
  return exportOnnx(graph, initialStateDict(analyze(graph), 1));
}

/** Drops files on the canvas as the operating system's file manager would. */
export async function dropFiles(
  page: Page,
  files: { name: string; bytes: Uint8Array }[],
): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
      return dt;
    },
    files.map((f) => ({ name: f.name, bytes: Array.from(f.bytes) })),
  );
  const canvas = page.getByTestId('canvas');
  await canvas.dispatchEvent('dragover', { dataTransfer });
  await canvas.dispatchEvent('drop', { dataTransfer });
}

/**
 * Journey: an ONNX file dropped on the window opens as a laid-out graph with its totals; a
 * truncated one says what is wrong and leaves the graph as it was.
 */
export async function dropOnnxModel(page: Page): Promise<void> {
  const bytes = lenetOnnx();
  await dropFiles(page, [{ name: 'lenet.onnx', bytes }]);
  await expect(page.getByTestId('document-title')).toContainText('lenet.nnb.json');
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
  await expect(page.getByTestId('summary-total-macs')).toHaveText('416,520');
  await expect(page.getByTestId('node-shape-conv1')).toHaveText('6×28×28');
  await expect(page.getByTestId('node-shape-fc3')).toHaveText('10');
  await expect(page.getByTestId('diagnostics').locator('li')).toHaveCount(0);
  await expect(page.getByTestId('notice')).toContainText('Imported lenet.onnx');
  // The host keeps the weights (imports.*) after the graph opened: wait for it to say so.
  await expect(page.getByTestId('notice')).toContainText('Its weights are kept');
  await screenshot(page, 'import-onnx-lenet');

  await dropFiles(page, [{ name: 'cut.onnx', bytes: bytes.subarray(0, 5000) }]);
  await expect(page.getByTestId('notice')).toContainText('Cannot import cut.onnx');
  await expect(page.getByTestId('notice')).toContainText('truncated');
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
  await screenshot(page, 'import-onnx-truncated');
}
