// The input gradient as a product and a col2im (src/engine/wasm/gemmInputGrad.ts) against tfjs'
// CPU backend within 1e-5, on the shapes it takes — valid, same, asymmetric and beyond-the-reach
// padding, 1×1 to 7×7 and rectangular kernels, 1 to 7 channels (a vector and a tail of floats, or
// the tail alone), batch 1 and odd batches — each row checked to really take it; and the shapes it
// leaves to the padded conv.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { convGeometry } from '../../../src/engine/wasm/convGeometry.js';
import { gemmInputGradApplies } from '../../../src/engine/wasm/gemmInputGrad.js';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

type Pad = 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  pad: Pad;
  stride?: number;
  dilation?: number;
}

const TAKEN: Case[] = [
  { name: 'LeNet conv2, 5×5 valid, 6 channels', x: [3, 14, 14, 6], w: [5, 5, 6, 16], pad: 'valid' },
  { name: '5×5 same, 1 channel, batch 1', x: [1, 9, 11, 1], w: [5, 5, 1, 4], pad: 'same' },
  { name: '3×3 same, 3 channels', x: [2, 8, 8, 3], w: [3, 3, 3, 8], pad: 'same' },
  { name: '7×7 same, 7 channels', x: [3, 10, 9, 7], w: [7, 7, 7, 5], pad: 'same' },
  { name: '1×1, 4 channels', x: [2, 5, 6, 4], w: [1, 1, 4, 3], pad: 'valid' },
  {
    name: '3×5 kernel, asymmetric padding, 5 channels',
    x: [2, 7, 8, 5],
    w: [3, 5, 5, 6],
    pad: [
      [0, 0],
      [2, 0],
      [0, 3],
      [0, 0],
    ],
  },
  {
    name: 'padding beyond the kernel reach, 2 channels',
    x: [1, 5, 5, 2],
    w: [3, 3, 2, 3],
    pad: [
      [0, 0],
      [3, 3],
      [3, 3],
      [0, 0],
    ],
  },
];

const LEFT: Case[] = [
  { name: '8 channels', x: [2, 8, 8, 8], w: [5, 5, 8, 8], pad: 'same' },
  { name: 'stride 2', x: [2, 8, 8, 3], w: [3, 3, 3, 4], pad: 'same', stride: 2 },
  { name: 'dilation 2', x: [2, 9, 9, 3], w: [3, 3, 3, 4], pad: 'valid', dilation: 2 },
];

function geometryOf(c: Case) {
  const stride = c.stride ?? 1;
  const dilation = c.dilation ?? 1;
  return convGeometry(
    c.x,
    c.w,
    {
      strides: [stride, stride],
      pad: c.pad,
      dilations: [dilation, dilation],
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    } as never,
    false,
  );
}

async function inputGradient(backend: 'cpu' | 'wasm', c: Case): Promise<Float32Array> {
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const [dx] = await runOn(backend, () => {
    const x = tf.tensor4d(seeded(size(c.x), 1), c.x);
    const w = tf.tensor4d(seeded(size(c.w), 2), c.w);
    const conv = (input: tf.Tensor4D) => tf.conv2d(input, w, c.stride ?? 1, c.pad);
    const y = conv(x);
    const dy = tf.tensor(seeded(y.size, 3), y.shape);
    return tf.grad((input: tf.Tensor) => tf.mul(conv(input as tf.Tensor4D), dy))(x);
  });
  return dx!;
}

describe('input gradient as product + col2im', () => {
  it.each(TAKEN)('$name: taken, and equal to the CPU gradient', async (c) => {
    await tf.setBackend('wasm');
    expect(gemmInputGradApplies(tf.backend() as BackendWasm, geometryOf(c))).toBe(true);
    const cpu = await inputGradient('cpu', c);
    const wasm = await inputGradient('wasm', c);
    expect(scaledMaxError(wasm, cpu)).toBeLessThan(1e-5);
  });

  it.each(LEFT)('$name: left to the padded conv', async (c) => {
    await tf.setBackend('wasm');
    expect(gemmInputGradApplies(tf.backend() as BackendWasm, geometryOf(c))).toBe(false);
  });
});
