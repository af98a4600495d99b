// On webgpu, Conv2D's filter gradient is computed as per-tap batched matrix products
// (convFilterGradient.ts) instead of tfjs' one-thread-per-weight kernel. It must equal the cpu
// backend's gradient for every stride, padding and kernel size the builder emits.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/selectBackend.js';
import { probe } from './adapter.js';
import { convFilterGradient } from '../../../src/engine/webgpu/convFilterGradient.js';
import { takeGpuErrors } from '../../../src/engine/webgpu/gpuErrors.js';
import { seeded } from '../wasm/backendCompare.js';

type Pad = 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  readonly name: string;
  readonly x: [number, number, number, number];
  readonly k: [number, number, number, number];
  readonly stride: [number, number];
  readonly pad: Pad;
}

const CASES: readonly Case[] = [
  {
    name: '3×3 stride 1 pad 1',
    x: [3, 8, 8, 4],
    k: [3, 3, 4, 5],
    stride: [1, 1],
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  {
    name: '3×3 stride 2 pad 1',
    x: [2, 9, 7, 3],
    k: [3, 3, 3, 6],
    stride: [2, 2],
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  },
  {
    name: '7×7 stride 2 pad 3 (ResNet stem)',
    x: [2, 20, 20, 3],
    k: [7, 7, 3, 4],
    stride: [2, 2],
    pad: [
      [0, 0],
      [3, 3],
      [3, 3],
      [0, 0],
    ],
  },
  {
    name: '3×3 stride 1, asymmetric pad',
    x: [2, 6, 7, 3],
    k: [3, 3, 3, 2],
    stride: [1, 1],
    pad: [
      [0, 0],
      [0, 2],
      [2, 1],
      [0, 0],
    ],
  },
  {
    name: '5×5 stride 1 pad 2 (LeNet conv1)',
    x: [2, 12, 12, 1],
    k: [5, 5, 1, 6],
    stride: [1, 1],
    pad: [
      [0, 0],
      [2, 2],
      [2, 2],
      [0, 0],
    ],
  },
  {
    name: '1×1 stride 1 (bottleneck)',
    x: [4, 5, 5, 8],
    k: [1, 1, 8, 3],
    stride: [1, 1],
    pad: 'valid',
  },
  {
    name: '1×1 stride 2 (downsample)',
    x: [2, 6, 6, 4],
    k: [1, 1, 4, 8],
    stride: [2, 2],
    pad: 'valid',
  },
  {
    name: '5×5 valid (LeNet conv2)',
    x: [3, 14, 14, 6],
    k: [5, 5, 6, 16],
    stride: [1, 1],
    pad: 'valid',
  },
  {
    name: '3×2 uneven stride 2×1, asymmetric pad',
    x: [2, 7, 6, 2],
    k: [3, 2, 2, 3],
    stride: [2, 1],
    pad: [
      [0, 0],
      [0, 2],
      [1, 0],
      [0, 0],
    ],
  },
  { name: "3×3 'same' stride 2", x: [2, 8, 8, 2], k: [3, 3, 2, 2], stride: [2, 2], pad: 'same' },
];

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The gradients (input, filter) of sum(conv(x, k) · w) on the active backend, via tf.grads. */
async function gradients(c: Case): Promise<[Float32Array, Float32Array]> {
  const x = tf.tensor4d(seeded(size(c.x), 1), c.x);
  const k = tf.tensor4d(seeded(size(c.k), 2), c.k);
  const [dx, dk] = tf.grads((...[a, b]: tf.Tensor[]) => {
    const y = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad);
    return tf.sum(tf.mul(y, tf.tensor(seeded(y.size, 3), y.shape)));
  })([x, k]);
  const out: [Float32Array, Float32Array] = [
    (await dx!.data()) as Float32Array,
    (await dk!.data()) as Float32Array,
  ];
  tf.dispose([x, k, dx!, dk!]);
  return out;
}

async function filterGrad(c: Case): Promise<Float32Array> {
  return (await gradients(c))[1];
}

function expectClose(got: Float32Array, want: Float32Array): void {
  const scale = Math.max(...want.map(Math.abs));
  expect(got).toHaveLength(want.length);
  for (let i = 0; i < want.length; i++)
    expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5 * scale);
}

describe.skipIf(!probe.ok)("webgpu's conv filter gradient", () => {
  it.each(CASES)('$name: input and filter gradients equal the cpu backend', async (c) => {
    await selectBackend('cpu');
    const [wantX, wantK] = await gradients(c);
    await selectBackend('webgpu');
    const [gotX, gotK] = await gradients(c);
    expectClose(gotK, wantK);
    expectClose(gotX, wantX);
    expect(takeGpuErrors()).toEqual([]);
  });

  it.each(['taps', 'im2col'] as const)(
    'computes every case by %s directly too, in batch slices when im2col would be large',
    async (method) => {
      for (const c of CASES) {
        await selectBackend('cpu');
        const want = await filterGrad(c);
        await selectBackend('webgpu');
        const x = tf.tensor4d(seeded(size(c.x), 1), c.x);
        const k = tf.tensor4d(seeded(size(c.k), 2), c.k);
        const y = tf.conv2d(x, k, c.stride, c.pad);
        const dy = tf.tensor(seeded(y.size, 3), y.shape) as tf.Tensor4D;
        // A budget of one sample's im2col: every batch is done a sample at a time and summed.
        const perSample = y.shape[1] * y.shape[2] * c.k[0] * c.k[1] * c.k[2] * 4;
        const dk = convFilterGradient(x, dy, c.k, c.stride, c.pad, method, perSample)!;
        const got = (await dk.data()) as Float32Array;
        const scale = Math.max(...want.map(Math.abs));
        for (let i = 0; i < want.length; i++)
          expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-5 * scale);
        tf.dispose([x, k, y, dy, dk]);
      }
      expect(takeGpuErrors()).toEqual([]);
    },
    60_000,
  );

  it('is what the override computes (not tfjs’ kernel in disguise)', async () => {
    await selectBackend('webgpu');
    const c = CASES[1]!;
    const x = tf.tensor4d(seeded(size(c.x), 1), c.x);
    const dy = tf.tensor4d(seeded(2 * 5 * 4 * 6, 4), [2, 5, 4, 6]);
    const direct = convFilterGradient(x, dy, c.k, c.stride, c.pad)!;
    const profile = await tf.profile(() => {
      const [, dk] = tf.grads((...[a, b]: tf.Tensor[]) =>
        tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad)),
      )([x, tf.ones(c.k) as tf.Tensor4D]);
      return dk;
    });
    const kernels = profile.kernelNames;
    expect(kernels).not.toContain('Conv2DBackpropFilter');
    // Stride 2: the input's gradient stays tfjs' own kernel.
    expect(kernels).toContain('Conv2DBackpropInput');
    expect(kernels).toContain('BatchMatMul');
    expect(direct.shape).toEqual(c.k);
    tf.dispose([x, dy, direct]);
    // Stride 1: the input's gradient is a forward conv.
    const c1 = CASES[0]!;
    const x1 = tf.tensor4d(seeded(size(c1.x), 1), c1.x);
    const stride1 = await tf.profile(() => {
      const [dx] = tf.grads((...[a, b]: tf.Tensor[]) =>
        tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c1.stride, c1.pad)),
      )([x1, tf.ones(c1.k) as tf.Tensor4D]);
      return dx;
    });
    expect(stride1.kernelNames).not.toContain('Conv2DBackpropInput');
    expect(stride1.kernels.filter((k) => k.name === 'Conv2D')).toHaveLength(2);
    x1.dispose();
  });
});
