// DataParallelTrainer: half of each batch in a worker thread, the other half here; the result
// must be the full-batch step, and the two replicas must stay identical.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultOptimizer } from '../../../src/api/training.js';
import type { GraphDocument } from '../../../src/core/graph/document.js';
import { selectBackend } from '../../../src/engine/selectBackend.js';
import { DataParallelTrainer } from '../../../src/engine/wasm/DataParallelTrainer.js';
import { GradientReplica, type ReplicaConfig } from '../../../src/engine/wasm/GradientReplica.js';
import { seeded } from './backendCompare.js';

const graph = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../templates/lenet-5.nnb.json'), 'utf8'),
) as GraphDocument;
// Plain SGD: the update is linear in the gradient, so "same gradient" shows as "same weights".
const config: ReplicaConfig = {
  graph,
  seed: 3,
  optimizer: { ...defaultOptimizer('sgd'), lr: 0.1 },
  loss: 'cross-entropy',
};
const BATCH = 24;
const batches = [0, 1, 2].map((i) => ({
  x: seeded(BATCH * 784, 40 + i).map((v) => Math.max(0, v)),
  labels: Int32Array.from({ length: BATCH }, (_, k) => (k * 7 + i) % 10),
}));

let parallel: DataParallelTrainer;
beforeAll(async () => {
  await selectBackend('wasm');
  parallel = await DataParallelTrainer.start(config);
}, 60_000);
afterAll(() => parallel.dispose());

it('takes the same steps as one replica on the whole batch, and both replicas stay identical', async () => {
  const single = new GradientReplica(config);
  const start = single.weights();
  for (const b of batches) {
    const g = single.gradients(b.x, b.labels, BATCH);
    single.apply(g.grads, 0.1);
    const loss = await parallel.step(b.x, b.labels, BATCH, 0.1);
    expect(Math.abs(loss - g.loss)).toBeLessThan(1e-5);
  }
  const expected = single.weights();
  const mine = parallel.replica.weights();
  let maxDiff = 0;
  let moved = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(mine[i]! - expected[i]!));
    moved = Math.max(moved, Math.abs(expected[i]! - start[i]!));
  }
  expect(maxDiff).toBeLessThan(1e-5);
  expect(moved).toBeGreaterThan(1e-3);
  expect(await parallel.workerWeights()).toEqual(mine);
  single.dispose();
});

it('handles a batch of one sample (nothing for the worker)', async () => {
  const b = batches[0]!;
  const loss = await parallel.step(b.x.subarray(0, 784), b.labels.subarray(0, 1), 1, 0.1);
  expect(Number.isFinite(loss)).toBe(true);
  expect(await parallel.workerWeights()).toEqual(parallel.replica.weights());
});
