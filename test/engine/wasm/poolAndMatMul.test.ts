// Our replacements of the wasm MaxPoolGrad and BatchMatMul kernels against the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

interface PoolCase {
  name: string;
  x: [number, number, number, number];
  size: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  /** Round the input to a coarse grid and clamp at 0 (a ReLU): windows with tied maxima. */
  ties: boolean;
  /** Make the first window of every channel and every 7th value −∞ (engine-padded pools). */
  infinities?: boolean;
}

const POOLS: PoolCase[] = [
  {
    name: '2×2 stride 2 (LeNet)',
    x: [3, 28, 28, 6],
    size: 2,
    strides: 2,
    pad: 'valid',
    ties: false,
  },
  {
    name: '2×2 stride 2 after ReLU, ties',
    x: [3, 10, 10, 16],
    size: 2,
    strides: 2,
    pad: 'valid',
    ties: true,
  },
  {
    name: '3×3 stride 2 same, overlapping, ties',
    x: [2, 9, 9, 4],
    size: 3,
    strides: 2,
    pad: 'same',
    ties: true,
  },
  { name: '3×3 stride 1 pad 1', x: [2, 6, 7, 3], size: 3, strides: 1, pad: 1, ties: false },
  {
    name: '[2,3] window, stride [1,2], odd sizes',
    x: [1, 7, 9, 2],
    size: [2, 3],
    strides: [1, 2],
    pad: 'valid',
    ties: true,
  },
];

POOLS.push(
  {
    name: '2×2 stride 2 same on odd sizes (disjoint, padded)',
    x: [2, 7, 9, 3],
    size: 2,
    strides: 2,
    pad: 'same',
    ties: true,
  },
  {
    name: '2×2 stride 3: gaps between windows',
    x: [2, 8, 8, 2],
    size: 2,
    strides: 3,
    pad: 'valid',
    ties: false,
  },
  {
    name: '3×2 window, stride [3,2], same',
    x: [1, 9, 8, 5],
    size: [3, 2],
    strides: [3, 2],
    pad: 'same',
    ties: true,
  },
);

// The SIMD kernel: windows = stride, no padding, ≥ 4 channels (groups of 4, the last one
// overlapping when C is not a multiple of 4), tiling the input or leaving rows/columns out.
POOLS.push(
  {
    name: 'SIMD: LeNet pool 1 at batch 32 after ReLU, ties',
    x: [32, 28, 28, 6],
    size: 2,
    strides: 2,
    pad: 'valid',
    ties: true,
  },
  {
    name: 'SIMD: 5 channels, odd sizes (last row/column in no window)',
    x: [2, 9, 11, 5],
    size: 2,
    strides: 2,
    pad: 'valid',
    ties: true,
  },
  {
    name: 'SIMD: 3×3 stride 3, 4 channels, −∞ windows',
    x: [2, 9, 10, 4],
    size: 3,
    strides: 3,
    pad: 'valid',
    ties: false,
    infinities: true,
  },
  {
    name: 'SIMD: [3,2] window, stride [3,2], 7 channels, ties and −∞',
    x: [3, 7, 8, 7],
    size: [3, 2],
    strides: [3, 2],
    pad: 'valid',
    ties: true,
    infinities: true,
  },
  {
    name: 'SIMD: 2×2 stride 2, 16 channels, batch 1',
    x: [1, 10, 10, 16],
    size: 2,
    strides: 2,
    pad: 'valid',
    ties: false,
  },
);

/** The input of a pool case: seeded values, rounded for ties, with −∞ where asked. */
function poolInput(c: PoolCase): Float32Array {
  const raw = seeded(
    c.x.reduce((a, b) => a * b),
    21,
  );
  const xv = c.ties ? raw.map((v) => Math.max(0, Math.round(v * 2) / 2)) : raw;
  if (c.infinities) {
    const [, , W, C] = c.x;
    for (let i = 0; i < xv.length; i += 7) xv[i] = -Infinity;
    for (let r = 0; r < 3; r++) xv.fill(-Infinity, r * W * C, (r * W + 3) * C);
  }
  return xv;
}

describe.each(POOLS)('MaxPoolGrad on wasm: $name', (c) => {
  const xv = poolInput(c);
  it('routes dy to the same input positions as the CPU backend', async () => {
    const grad = (backend: 'cpu' | 'wasm') =>
      runOn(backend, () => {
        const f = (x: tf.Tensor) => {
          const y = tf.maxPool(x as tf.Tensor4D, c.size, c.strides, c.pad);
          return y.mul(tf.tensor(seeded(y.size, 22), y.shape)).sum();
        };
        return tf.grad(f)(tf.tensor4d(xv, c.x));
      });
    const [w] = await grad('wasm');
    const [cpu] = await grad('cpu');
    expect(scaledMaxError(w!, cpu!)).toBeLessThan(1e-6);
  });
});

const PADS: [string, number[], [number, number][], number][] = [
  [
    'LeNet input, H and W by 2',
    [3, 28, 28, 1],
    [
      [0, 0],
      [2, 2],
      [2, 2],
      [0, 0],
    ],
    0,
  ],
  [
    'channels and batch, asymmetric',
    [2, 3, 4, 5],
    [
      [1, 0],
      [0, 2],
      [0, 0],
      [3, 1],
    ],
    0,
  ],
  [
    '−∞ for a ceil-mode max-pool',
    [2, 5, 5, 3],
    [
      [0, 0],
      [0, 1],
      [0, 1],
      [0, 0],
    ],
    -Infinity,
  ],
  [
    'rank 2, constant 1.5',
    [4, 3],
    [
      [2, 1],
      [0, 3],
    ],
    1.5,
  ],
  ['rank 1', [5], [[1, 2]], 0],
  [
    'nothing to pad',
    [2, 3],
    [
      [0, 0],
      [0, 0],
    ],
    0,
  ],
];

describe.each(PADS)('PadV2 on wasm: %s', (_name, shape, paddings, value) => {
  it('equals the CPU result', async () => {
    const pad = (backend: 'cpu' | 'wasm') =>
      runOn(backend, () =>
        tf.pad(
          tf.tensor(
            seeded(
              shape.reduce((p, q) => p * q, 1),
              41,
            ),
            shape,
          ),
          paddings,
          value,
        ),
      );
    const [w] = await pad('wasm');
    const [cpu] = await pad('cpu');
    expect(Array.from(w!)).toEqual(Array.from(cpu!));
  });
});

const MATMULS: [string, number[], number[], boolean, boolean][] = [
  ['dense backward dx = dy·Wᵀ', [64, 120], [400, 120], false, true],
  ['dense backward dW = xᵀ·dy', [64, 400], [64, 120], true, false],
  ['both transposed', [7, 5], [3, 7], true, true],
  ['batched, transposeA', [3, 6, 4], [3, 6, 5], true, false],
  ['broadcast batch, transposeB', [1, 4, 6], [3, 5, 6], false, true],
  ['no transpose', [5, 8], [8, 3], false, false],
  // The SIMD product (unbatched, M ≥ 4, N ≥ 4): LeNet's dense shapes at batch 32, row and column
  // counts that are not multiples of the 4 × 8 block, N between 4 and 8 (one vector), K = 1.
  ['SIMD: dense forward 32·400·120', [32, 400], [400, 120], false, false],
  ['SIMD: dx = dy·Wᵀ, output layer', [32, 10], [84, 10], false, true],
  ['SIMD: dW = xᵀ·dy, 10 columns', [32, 84], [32, 10], true, false],
  ['SIMD: odd sizes 7·13·11', [7, 13], [13, 11], false, false],
  ['SIMD: 4 ≤ N < 8, transposeA', [9, 6], [9, 5], true, false],
  ['SIMD: K = 1, rank 3 batch 1', [1, 6, 1], [1, 1, 9], false, false],
  ['SIMD: both transposed 5·3·4', [3, 5], [4, 3], true, true],
];

describe.each(MATMULS)('BatchMatMul on wasm: %s', (_name, aShape, bShape, ta, tb) => {
  it('equals the CPU product', async () => {
    const product = (backend: 'cpu' | 'wasm') =>
      runOn(backend, () =>
        tf.matMul(
          tf.tensor(
            seeded(
              aShape.reduce((p, q) => p * q),
              31,
            ),
            aShape,
          ),
          tf.tensor(
            seeded(
              bShape.reduce((p, q) => p * q),
              32,
            ),
            bShape,
          ),
          ta,
          tb,
        ),
      );
    const [w] = await product('wasm');
    const [cpu] = await product('cpu');
    expect(scaledMaxError(w!, cpu!)).toBeLessThan(1e-4);
  });
});
