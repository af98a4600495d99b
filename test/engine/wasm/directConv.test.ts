// The direct convolution loop (src/engine/wasm/simd/directConvSimd.ts) as the Conv2D kernel runs
// it: each case is checked to take that path, then compared with tfjs' CPU conv within 1e-5 — the
// forward, and the input gradient of a strided conv, whose stride phases it runs too.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { directConvApplies } from '../../../src/engine/wasm/conv2d.js';
import { convGeometry } from '../../../src/engine/wasm/convGeometry.js';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

type Pad = 'valid' | 'same' | number;
const CASES: [
  string,
  [number, number, number, number],
  [number, number, number, number],
  Pad,
  number,
][] = [
  ['3×3 stride 2 pad 1, 16 → 32 (ResNet downsampling)', [3, 8, 8, 16], [3, 3, 16, 32], 1, 2],
  [
    '1×1 stride 2, 32 → 64 (a projection: taps shorter than the stride)',
    [2, 8, 8, 32],
    [1, 1, 32, 64],
    0,
    2,
  ],
  ['3×3 stem, 3 → 16 (channel loop unrolled)', [2, 9, 9, 3], [3, 3, 3, 16], 1, 1],
  ['5×5 valid, 6 → 16 (LeNet conv2)', [4, 14, 14, 6], [5, 5, 6, 16], 'valid', 1],
  [
    'odd output width, 20 output channels (blocks of 16 and 4)',
    [2, 7, 7, 8],
    [3, 3, 8, 20],
    'valid',
    1,
  ],
  ['10 output channels (an overlapping last vector)', [2, 6, 6, 9], [3, 3, 9, 10], 'same', 2],
  ['one output column', [2, 7, 3, 12], [3, 3, 12, 8], 'valid', 1],
  [
    '7×7 stride 2 same, 3 → 8, odd size (asymmetric padding)',
    [1, 15, 13, 3],
    [7, 7, 3, 8],
    'same',
    2,
  ],
  ['4 output channels, stride 3', [2, 10, 11, 5], [2, 3, 5, 4], 'valid', 3],
];

const tensor = (shape: number[], seed: number) =>
  tf.tensor4d(
    seeded(
      shape.reduce((a, b) => a * b),
      seed,
    ),
    shape as [number, number, number, number],
  );

/** `fn` on wasm gives the CPU backend's values within 1e-5 (of the largest, at least 1). */
async function expectCpuValues(fn: () => tf.Tensor): Promise<void> {
  const [cpu] = await runOn('cpu', fn);
  const [wasm] = await runOn('wasm', fn);
  expect(scaledMaxError(wasm!, cpu!)).toBeLessThan(1e-5);
}

describe.each(CASES)('the direct conv loop: %s', (_name, xShape, wShape, pad, stride) => {
  it('is the path Conv2D takes', () => {
    const g = convGeometry(xShape, wShape, { strides: stride, pad }, false);
    expect(directConvApplies(g)).toBe(true);
  });

  it('equals the CPU conv', async () => {
    await expectCpuValues(() => tf.conv2d(tensor(xShape, 61), tensor(wShape, 62), stride, pad));
  });

  it('gives the CPU input gradient', async () => {
    await expectCpuValues(() => {
      const w = tensor(wShape, 62);
      const y = tf.conv2d(tensor(xShape, 61), w, stride, pad);
      return tf.conv2dTranspose(tensor(y.shape, 63) as tf.Tensor4D, w, xShape, stride, pad);
    });
  });
});
