import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { parseTrainConfig } from '../../src/api/training';
import { readRunWeights } from '../../src/cli/readRunWeights';
import { RunControl } from '../../src/engine/train/RunControl';
import { runTraining } from '../../src/engine/train/runTraining';
import { exportOnnx } from '../../src/export/onnx/exportOnnx';
import { dropFiles, lenetGraph } from './importModel';
import { drawSeven, screenshot } from './helpers';

/**
 * LeNet-5 trained here for one epoch on the built-in digits, inputs scaled to [0, 1] (what an
 * import assumes), and written as ONNX by our exporter: a model whose weights are known to work.
 */
export async function trainedLenetOnnx(): Promise<{ bytes: Uint8Array; valAccuracy: number }> {
  const outDir = mkdtempSync(join(tmpdir(), 'nnb-e2e-weights-'));
  try {
    const parsed = parseTrainConfig({
      epochs: 1,
      backend: 'wasm',
      normalization: { kind: 'none' },
      outDir,
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    let valAccuracy = 0;
    let failure: string | null = null;
    await runTraining({
      runId: 'source',
      graph: lenetGraph(),
      config: parsed.config,
      control: new RunControl(),
      emit: (event) => {
        if (event.type === 'epoch') valAccuracy = event.valAccuracy;
        if (event.type === 'error') failure = event.message;
      },
    });
    if (failure !== null) throw new Error(`training the source model failed: ${failure}`);
    const { graph, state } = readRunWeights(join(outDir, 'source'));
    return { bytes: exportOnnx(graph, state), valAccuracy };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const percent = async (page: Page) =>
  Number((await page.getByTestId('train-val-accuracy').textContent())?.replace('%', ''));

/** Trains the open graph for one step of 64 digits and returns the validation accuracy in %. */
async function trainOneBatch(page: Page): Promise<number> {
  await page.getByTestId('train-epochs').fill('1');
  await page.getByTestId('train-max-samples').fill('64');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveText('finished', { timeout: 180_000 });
  await expect(page.getByTestId('train-val-accuracy')).toHaveText(/^\d+(\.\d)?%$/);
  return percent(page);
}

/**
 * Journey: a trained LeNet-5 as an ONNX file dropped on the window keeps its weights. Inspect
 * shows them (the badge, a drawn 7 classified as 7 before any training here); Train starts from
 * them (one step of 64 digits ends far above chance, where fresh weights stay near it); an edited
 * layer is named as starting fresh.
 */
export async function importedWeightsJourney(page: Page): Promise<void> {
  const source = await trainedLenetOnnx();
  expect(source.valAccuracy).toBeGreaterThan(0.9);
  await dropFiles(page, [{ name: 'lenet-trained.onnx', bytes: source.bytes }]);
  await expect(page.getByTestId('notice')).toContainText('Its weights are kept', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');

  // Inspect, before any training in the app: the imported weights classify a drawn digit.
  await page.getByTestId('tab-inspect').click();
  await expect(page.getByTestId('inspect-weights')).toHaveText('imported · lenet-trained.onnx');
  await expect(page.getByTestId('inspect-note')).toContainText('all 5 weighted layers');
  await drawSeven(page);
  await expect(page.getByTestId('prediction-top')).toContainText('7', { timeout: 30_000 });
  await screenshot(page, 'import-weights-inspect');

  // Train: one step from the imported weights is already a trained model.
  await page.getByTestId('tab-training').click();
  await expect(page.getByTestId('train-starting-weights-note')).toHaveText(
    'Starts from the weights of lenet-trained.onnx: all 5 weighted layers. Inputs are scaled to [0, 1] (pixels/255), as the import expects.',
  );
  const fineTuned = await trainOneBatch(page);
  expect(fineTuned).toBeGreaterThan(85);
  await screenshot(page, 'import-weights-fine-tuned');

  // The same step from fresh weights stays near chance.
  await page.getByTestId('train-use-imported').uncheck();
  await expect(page.getByTestId('train-starting-weights-note')).toContainText('fresh weights');
  const fresh = await trainOneBatch(page);
  expect(fresh).toBeLessThan(40);
  console.log(
    `imported weights: source model ${(source.valAccuracy * 100).toFixed(1)}% val; one step of 64 from the import ${fineTuned}%, from fresh weights ${fresh}%`,
  );
  await page.getByTestId('train-use-imported').check();

  // An edited layer no longer fits: the panel names it and the one it feeds before Train.
  await page.getByTestId('node-fc2').locator('.layer-node__head').click();
  await page.getByTestId('param-out_features').fill('80');
  await page.getByTestId('tab-training').click();
  await expect(page.getByTestId('train-starting-weights-note')).toHaveText(
    /3 of 5 weighted layers; fresh weights for fc2 \(changed\), fc3 \(changed\)\./,
  );
  await screenshot(page, 'import-weights-edited');
}
