// The first training step on wasm grows the heap once, ahead of the step, instead of a little at a
// time through it (src/engine/wasm/heapReserve.ts: V8 collects garbage at every growth).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, expect, it } from 'vitest';
import { CompiledModel } from '../../../src/engine/model/CompiledModel.js';
import { outputKind } from '../../../src/engine/train/loss.js';
import { computeGradients, disposeGradients } from '../../../src/engine/train/trainStep.js';
import {
  MAX_RESERVE_BYTES,
  reserveWasmHeap,
  trainingHeapBytes,
} from '../../../src/engine/wasm/heapReserve.js';
import { wasmMemory } from '../../../src/engine/wasm/wasmKernelContext.js';
import { randomInput } from '../modelHelpers.js';
import { initBackends } from './backendCompare.js';
import { resnet20 } from './float64Reference.js';

beforeAll(async () => {
  await initBackends();
  await tf.setBackend('wasm');
});

const heapBytes = (): number =>
  wasmMemory(tf.backend() as unknown as BackendWasm).buffer.byteLength;

/** Runs `body`, counting the growths of the wasm heap meanwhile. */
function countingGrowths(body: () => void): number {
  const memory = wasmMemory(tf.backend() as unknown as BackendWasm) as unknown as {
    grow(pages: number): number;
  };
  const grow = memory.grow.bind(memory);
  let growths = 0;
  memory.grow = (pages: number) => {
    growths++;
    return grow(pages);
  };
  try {
    body();
  } finally {
    memory.grow = grow;
  }
  return growths;
}

it("grows the heap at most once in a ResNet-20 step's forward and backward pass", () => {
  const model = CompiledModel.compile(resnet20(32), 3);
  // 32×32 ResNet-20 holds ~2.7 MB of layer outputs per sample.
  expect(model.activationBytesPerSample).toBeGreaterThan(2.5e6);
  const batch = 12;
  const before = heapBytes();
  expect(before, 'the heap is smaller than the step needs').toBeLessThan(
    trainingHeapBytes(model.activationBytesPerSample, batch),
  );
  const input = randomInput([3, 32, 32], batch, 5);
  const labels = tf.tensor1d(
    Array.from({ length: batch }, (_, i) => i % 10),
    'int32',
  );
  const setup = {
    model,
    variables: model.trainableVariables(),
    loss: 'cross-entropy' as const,
    kind: outputKind(model.outputType),
    nextSeed: () => 1,
  };
  const growths = countingGrowths(() =>
    disposeGradients(computeGradients(setup, input.ours, labels)),
  );
  expect(growths).toBeLessThanOrEqual(1);
  expect(heapBytes()).toBeGreaterThanOrEqual(
    trainingHeapBytes(model.activationBytesPerSample, batch),
  );
  tf.dispose([input.ours, labels]);
});

it('reserves nothing when the heap is large enough, and at most MAX_RESERVE_BYTES', () => {
  const size = heapBytes();
  expect(countingGrowths(() => reserveWasmHeap(size - 65536))).toBe(0);
  expect(trainingHeapBytes(1e9, 64)).toBe(MAX_RESERVE_BYTES);
  expect(trainingHeapBytes(1000, 8)).toBe(16000);
});

it('does nothing off wasm', async () => {
  await tf.setBackend('cpu');
  try {
    expect(reserveWasmHeap(1 << 28)).toBe(0);
  } finally {
    await tf.setBackend('wasm');
  }
});
