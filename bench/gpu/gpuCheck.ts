/**
 * Exactness of the webgpu backend on this machine's GPU: a few Adam steps of LeNet-5 and
 * ResNet-20 on webgpu (results read back in groups, as training does) against the cpu backend
 * from the same weights and batches; prints the largest differences as JSON lines. The vitest
 * suite checks the same on llvmpipe in CI; this runs where a real GPU is (docs/performance.md).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adamSetup, randomBatches } from './adamSetup.js';
import { parseGraphJson } from '../../src/core/graph/parseGraph.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { selectBackend } from '../../src/engine/selectBackend.js';
import { SingleThreadTrainer } from '../../src/engine/train/BatchTrainer.js';
import { DeferredReadTrainer } from '../../src/engine/train/DeferredReadTrainer.js';
import type { StepResult } from '../../src/engine/train/trainStep.js';
import { takeGpuErrors } from '../../src/engine/webgpu/gpuErrors.js';

const here = dirname(fileURLToPath(import.meta.url));
const templates = process.argv[2] ?? join(here, '../../templates');

function graphOf(name: string): GraphDocument {
  const parsed = parseGraphJson(readFileSync(join(templates, name), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.graph;
}

async function run(graph: GraphDocument, backend: 'webgpu' | 'cpu', batch: number, steps: number) {
  await selectBackend(backend);
  const setup = adamSetup(graph, backend, 7);
  const { model, optimizer } = setup;
  const data = randomBatches(model, batch, steps, 1234);
  const results: StepResult[] = [];
  if (backend === 'webgpu') {
    const trainer = new DeferredReadTrainer(setup, 3);
    for (const b of data) results.push(...(await trainer.enqueue(b, 1e-3, true)));
    results.push(...(await trainer.flush()));
  } else {
    const trainer = new SingleThreadTrainer(setup);
    for (const b of data) results.push(await trainer.step(b, 1e-3, true));
  }
  const weights = await Promise.all(
    model.weights.map(async (w) => (await w.variable.data()) as Float32Array),
  );
  optimizer.dispose();
  model.dispose();
  return { results, weights };
}

const selection = await selectBackend('webgpu');
console.log(JSON.stringify({ kind: 'device', device: selection.device, tfjs: tf.version.tfjs }));
for (const [name, batch, steps] of [
  ['lenet-5.nnb.json', 64, 5],
  ['resnet-cifar.nnb.json', 8, 2],
] as const) {
  const graph = graphOf(name);
  const gpu = await run(graph, 'webgpu', batch, steps);
  const cpu = await run(graph, 'cpu', batch, steps);
  let loss = 0;
  // Per step: after step 1 the weights differ by Adam's amplification of float32 rounding (a
  // gradient that is ~0, e.g. a conv bias before BatchNorm, gets a ±lr step from its sign).
  const normDiffs = gpu.results.map((r, i) => {
    const c = cpu.results[i]!;
    loss = Math.max(loss, Math.abs(r.loss - c.loss));
    let norm = 0;
    for (const [node, v] of Object.entries(c.gradientNorms ?? {})) {
      norm = Math.max(norm, Math.abs((r.gradientNorms?.[node] ?? NaN) - v) / Math.max(v, 1e-12));
    }
    return norm;
  });
  let weight = 0;
  gpu.weights.forEach((w, i) => {
    const c = cpu.weights[i]!;
    for (let k = 0; k < w.length; k++) weight = Math.max(weight, Math.abs(w[k]! - c[k]!));
  });
  console.log(
    JSON.stringify({
      kind: 'exactness',
      graph: name,
      batch,
      steps,
      losses: gpu.results.map((r) => r.loss),
      maxLossDiff: loss,
      gradNormRelDiffPerStep: normDiffs,
      maxWeightDiff: weight,
      gpuErrors: takeGpuErrors(),
    }),
  );
}
