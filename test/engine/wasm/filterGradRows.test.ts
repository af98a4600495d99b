// The SIMD filter gradient (simd/filterGradSimd.ts): a 1×1 conv's passes sum a few adjacent
// input channels each (channel counts that leave a short last pass, output channels over one
// chunk of groups and not a multiple of 4), and convs without top or left padding read x in place
// (no padded copy) — each equal to tfjs' CPU filter gradient within 1e-4.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

interface Case {
  readonly name: string;
  /** [N, H, W, C] */
  readonly x: [number, number, number, number];
  /** [KH, KW, C, CO] */
  readonly w: [number, number, number, number];
  readonly stride: number;
  readonly pad: 'same' | 'valid';
}

const CASES: Case[] = [
  // 1×1 by channels: 7 = 3 + 3 + 1 channels a pass; 20 out channels = 16 + a group overlapping.
  { name: '1×1, 7 → 20, stride 1', x: [3, 6, 5, 7], w: [1, 1, 7, 20], stride: 1, pad: 'same' },
  // ResNet's shortcut: stride 2 on an even map (no padding, the last row and column unread).
  { name: '1×1, 16 → 32, stride 2', x: [2, 8, 8, 16], w: [1, 1, 16, 32], stride: 2, pad: 'same' },
  {
    name: '1×1, 2 → 6, stride 2, valid',
    x: [2, 7, 10, 2],
    w: [1, 1, 2, 6],
    stride: 2,
    pad: 'valid',
  },
  // In place with taps: 3×3 without padding, stride 1 and 2 (the last row and column unread).
  { name: '3×3 valid, 4 → 8', x: [2, 9, 9, 4], w: [3, 3, 4, 8], stride: 1, pad: 'valid' },
  {
    name: '3×3 valid, stride 2, 3 → 4',
    x: [2, 10, 12, 3],
    w: [3, 3, 3, 4],
    stride: 2,
    pad: 'valid',
  },
];

describe.each(CASES)('SIMD filter gradient rows: $name', (c) => {
  it('equals the CPU filter gradient', async () => {
    const [N, H, W] = c.x;
    const [KH, KW, , CO] = c.w;
    const out = (size: number, k: number) =>
      c.pad === 'same' ? Math.ceil(size / c.stride) : Math.floor((size - k) / c.stride) + 1;
    const dyShape = [N, out(H, KH), out(W, KW), CO];
    const xv = seeded(
      c.x.reduce((a, b) => a * b),
      21,
    );
    const dyv = seeded(
      dyShape.reduce((a, b) => a * b),
      22,
    );
    const run = (backend: 'cpu' | 'wasm') =>
      runOn(
        backend,
        () =>
          tf.engine().runKernel(
            'Conv2DBackpropFilter',
            { x: tf.tensor4d(xv, c.x), dy: tf.tensor(dyv, dyShape) },
            {
              strides: c.stride,
              pad: c.pad,
              dilations: 1,
              dataFormat: 'NHWC',
              filterShape: c.w,
            },
          ) as tf.Tensor,
      );
    const [w] = await run('wasm');
    const [cpu] = await run('cpu');
    expect(scaledMaxError(w!, cpu!)).toBeLessThan(1e-4);
  });
});
