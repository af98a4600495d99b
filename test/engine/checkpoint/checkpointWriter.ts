// Writes checkpoints of epoch 1, 2, 3, … into <dir>/last until killed; each epoch's weights and
// optimizer state all equal the epoch, so a reader can tell a torn folder from a whole one.
// Run as `node --import tsx checkpointWriter.ts <dir> [step]`; prints each epoch once it is
// saved. With a step (`wrote weights.bin`, `staged`, …), the save of epoch 3 stops there, prints
// `at <step>` and waits to be killed.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { quietTfjs } from '../../../src/engine/selectBackend.js';
import { saveCheckpoint } from '../../../src/engine/train/checkpoint.js';
import type { SwitchStep } from '../../../src/engine/train/checkpointFolder.js';
import { epochModel } from './epochModel.js';

quietTfjs();
await tf.setBackend('cpu');
const dir = process.argv[2] ?? '';
const hangAt = process.argv[3];
const hang = (step: SwitchStep): void => {
  if (step !== hangAt) return;
  process.stdout.write(`at ${step}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
};
const m = epochModel();
// With a step to stop at, a writer that never reaches it ends after epoch 4 (the test fails).
for (let epoch = 1; hangAt === undefined || epoch <= 4; epoch++) {
  m.setEpoch(epoch);
  await saveCheckpoint(
    join(dir, 'last'),
    m.graph,
    m.model,
    m.meta(epoch),
    m.optimizer,
    epoch === 3 ? hang : undefined,
  );
  process.stdout.write(`${epoch}\n`);
}
