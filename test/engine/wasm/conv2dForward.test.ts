// Our wasm Conv2D (the generated SIMD loop for one input channel, the direct loop, XNNPACK) against
// tfjs' CPU backend within 1e-4.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { simdKernelsAvailable } from '../../../src/engine/wasm/wasmKernelContext.js';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

it('runs the generated SIMD kernels here (else every SIMD row would test the fallbacks)', async () => {
  await tf.setBackend('wasm');
  expect(simdKernelsAvailable(tf.backend() as BackendWasm)).toBe(true);
});

type Pad = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];

const CASES: [
  string,
  [number, number, number, number],
  [number, number, number, number],
  Pad,
  number,
  number,
][] = [
  [
    'LeNet conv1 at batch 32, explicit pad 2',
    [32, 28, 28, 1],
    [5, 5, 1, 6],
    [
      [0, 0],
      [2, 2],
      [2, 2],
      [0, 0],
    ],
    1,
    1,
  ],
  ['3×3 same, 4 channels', [2, 9, 7, 1], [3, 3, 1, 4], 'same', 1, 1],
  ['5×5 valid, 5 channels (overlapping groups)', [3, 11, 12, 1], [5, 5, 1, 5], 'valid', 1, 1],
  ['7×7 pad 1, 13 channels (one position per block)', [2, 10, 9, 1], [7, 7, 1, 13], 1, 1, 1],
  ['a single output column', [2, 5, 1, 1], [3, 1, 1, 8], 'valid', 1, 1],
  ['odd output width (a tail block)', [1, 6, 7, 1], [2, 2, 1, 6], 'valid', 1, 1],
  [
    'asymmetric pad beyond the reach, batch 1',
    [1, 4, 5, 1],
    [3, 2, 1, 9],
    [
      [0, 0],
      [4, 1],
      [0, 3],
      [0, 0],
    ],
    1,
    1,
  ],
  ['the direct loop: 3 input channels', [2, 8, 8, 3], [3, 3, 3, 8], 'same', 1, 1],
  ['XNNPACK: stride 2', [2, 9, 9, 1], [3, 3, 1, 6], 'same', 2, 1],
  ['XNNPACK: dilation 2', [2, 9, 9, 1], [3, 3, 1, 6], 'valid', 1, 2],
  ['XNNPACK: 3 output channels', [2, 6, 6, 1], [3, 3, 1, 3], 'same', 1, 1],
];

describe.each(CASES)('Conv2D on wasm: %s', (_name, xShape, wShape, pad, stride, dilation) => {
  it('equals the CPU conv', async () => {
    const run = (backend: 'cpu' | 'wasm') =>
      runOn(backend, () =>
        tf.conv2d(
          tf.tensor4d(
            seeded(
              xShape.reduce((a, b) => a * b),
              51,
            ),
            xShape,
          ),
          tf.tensor4d(
            seeded(
              wShape.reduce((a, b) => a * b),
              52,
            ),
            wShape,
          ),
          stride,
          pad,
          'NHWC',
          dilation,
        ),
      );
    const [w] = await run('wasm');
    const [cpu] = await run('cpu');
    expect(w!.length).toBe(cpu!.length);
    expect(scaledMaxError(w!, cpu!)).toBeLessThan(1e-4);
  });
});
