// Conv2DBackpropFilter / Conv2DBackpropInput on WASM against tfjs' CPU backend within 1e-4.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  initBackends,
  pair,
  runOn,
  scaledMaxError,
  seeded,
  zeroInserted,
} from './backendCompare.js';

type Pad = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  name: string;
  /** [N, H, W, C] */
  x: [number, number, number, number];
  /** [KH, KW, C, CO] */
  w: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
  dilations?: number | [number, number];
}

const CASES: Case[] = [
  {
    name: 'LeNet conv1: 5×5 same, 1 channel',
    x: [4, 28, 28, 1],
    w: [5, 5, 1, 6],
    strides: 1,
    pad: 'same',
  },
  { name: 'LeNet conv2: 5×5 valid', x: [3, 14, 14, 6], w: [5, 5, 6, 16], strides: 1, pad: 'valid' },
  { name: '3×3 stride 2 same', x: [2, 10, 10, 3], w: [3, 3, 3, 5], strides: 2, pad: 'same' },
  {
    name: '3×3 stride 2 valid, rows dropped by floor',
    x: [2, 11, 9, 3],
    w: [3, 3, 3, 4],
    strides: 2,
    pad: 'valid',
  },
  { name: '3×3 stride 2 valid, 6×6', x: [1, 6, 6, 2], w: [3, 3, 2, 2], strides: 2, pad: 'valid' },
  { name: '1×1 stride 2 projection', x: [2, 8, 8, 4], w: [1, 1, 4, 8], strides: 2, pad: 'valid' },
  { name: 'numeric pad 1, stride 1', x: [2, 7, 7, 3], w: [3, 3, 3, 4], strides: 1, pad: 1 },
  {
    name: 'explicit asymmetric pad, stride [2,1]',
    x: [2, 7, 8, 3],
    w: [3, 2, 3, 4],
    strides: [2, 1],
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  {
    name: 'pad larger than the kernel reach',
    x: [1, 5, 5, 2],
    w: [3, 3, 2, 3],
    strides: 1,
    pad: [
      [0, 0],
      [3, 3],
      [3, 3],
      [0, 0],
    ],
  },
  {
    name: '7×7 stride 3 same, batch 5',
    x: [5, 13, 13, 2],
    w: [7, 7, 2, 3],
    strides: 3,
    pad: 'same',
  },
  {
    name: 'rectangular kernel, wide channels',
    x: [2, 6, 9, 16],
    w: [2, 4, 16, 12],
    strides: 1,
    pad: 'valid',
  },
  {
    name: 'dilation 2 valid',
    x: [2, 9, 9, 2],
    w: [3, 3, 2, 3],
    strides: 1,
    pad: 'valid',
    dilations: 2,
  },
  {
    name: 'dilation [2,3] same',
    x: [2, 10, 11, 3],
    w: [3, 3, 3, 2],
    strides: 1,
    pad: 'same',
    dilations: [2, 3],
  },
  {
    name: 'dilation 2 with stride 2, explicit pad',
    x: [2, 12, 12, 2],
    w: [3, 3, 2, 4],
    strides: 2,
    pad: [
      [0, 0],
      [2, 2],
      [2, 1],
      [0, 0],
    ],
    dilations: 2,
  },
  // The SIMD filter gradient (stride 1, no dilation, ≥ 4 output channels): channel counts that
  // are not a multiple of 4 (overlapping groups), several chunks of groups, wide kernels (one
  // group per chunk), 1×1, batch 1, padding on one side only and beyond the kernel's reach.
  {
    name: 'SIMD filter grad: LeNet conv1 at batch 32, explicit pad 2',
    x: [32, 28, 28, 1],
    w: [5, 5, 1, 6],
    strides: 1,
    pad: [
      [0, 0],
      [2, 2],
      [2, 2],
      [0, 0],
    ],
  },
  {
    name: 'SIMD filter grad: 5 out channels',
    x: [2, 9, 8, 3],
    w: [3, 3, 3, 5],
    strides: 1,
    pad: 'same',
  },
  {
    name: 'SIMD filter grad: 4 out channels, batch 1',
    x: [1, 6, 7, 2],
    w: [2, 3, 2, 4],
    strides: 1,
    pad: 'valid',
  },
  {
    name: 'SIMD filter grad: 7×7 kernel, 13 out channels',
    x: [2, 11, 12, 2],
    w: [7, 7, 2, 13],
    strides: 1,
    pad: 3,
  },
  {
    name: 'SIMD filter grad: 1×1, 40 out channels',
    x: [3, 5, 4, 7],
    w: [1, 1, 7, 40],
    strides: 1,
    pad: 'valid',
  },
  // A 1×1 conv's passes take 3 input channels (16 = five passes of 3 and one of 1; 32 output
  // channels, two chunks of groups); without top or left padding x is read in place, here with
  // its last row and column unread.
  {
    name: 'SIMD filter grad: 1×1 stride 2 same, 16 → 32 (ResNet shortcut)',
    x: [2, 8, 8, 16],
    w: [1, 1, 16, 32],
    strides: 2,
    pad: 'same',
  },
  {
    name: 'SIMD filter grad: 3×3 stride 2 valid, x in place, last row and column unread',
    x: [2, 10, 12, 3],
    w: [3, 3, 3, 4],
    strides: 2,
    pad: 'valid',
  },
  {
    name: 'SIMD filter grad: 1×13 kernel',
    x: [2, 3, 15, 1],
    w: [1, 13, 1, 4],
    strides: 1,
    pad: 'same',
  },
  {
    name: 'SIMD filter grad: asymmetric pad, bottom/right only',
    x: [3, 8, 9, 2],
    w: [4, 3, 2, 6],
    strides: 1,
    pad: [
      [0, 0],
      [0, 3],
      [0, 2],
      [0, 0],
    ],
  },
  {
    name: 'SIMD filter grad: pad beyond the kernel reach',
    x: [2, 4, 5, 3],
    w: [3, 3, 3, 8],
    strides: 1,
    pad: [
      [0, 0],
      [4, 1],
      [1, 5],
      [0, 0],
    ],
  },
];

function outShape(c: Case): number[] {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.w, c.strides, c.dilations ?? 1, c.pad);
  return info.outShape;
}

beforeAll(initBackends);

describe.each(CASES)('conv2d gradients on wasm: $name', (c) => {
  const xv = seeded(
    c.x.reduce((a, b) => a * b),
    1,
  );
  const wv = seeded(
    c.w.reduce((a, b) => a * b),
    2,
  );
  const dyShape = outShape(c);
  const dyv = seeded(
    dyShape.reduce((a, b) => a * b),
    3,
  );
  const dil = pair(c.dilations);
  const dilated = dil[0] > 1 || dil[1] > 1;

  /** What the wasm kernels compute when called through the kernel API (dilations included). */
  const onWasm = () =>
    runOn('wasm', () => {
      const x = tf.tensor4d(xv, c.x);
      const w = tf.tensor4d(wv, c.w);
      const dy = tf.tensor(dyv, dyShape);
      const attrs = {
        strides: c.strides,
        pad: c.pad,
        dilations: c.dilations ?? 1,
        dataFormat: 'NHWC',
      };
      return [
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropFilter',
            { x, dy },
            { ...attrs, filterShape: c.w },
          ) as tf.Tensor,
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropInput',
            { dy, filter: w },
            { ...attrs, inputShape: c.x },
          ) as tf.Tensor,
      ];
    });

  /** CPU reference: tfjs' own kernels; a dilated conv as the plain conv with a zero-inserted filter. */
  const onCpu = () =>
    runOn('cpu', () => {
      const x = tf.tensor4d(xv, c.x);
      const w = tf.tensor4d(wv, c.w);
      const big = dilated ? zeroInserted(w, dil) : w;
      const dy = tf.tensor(dyv, dyShape);
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' };
      const dwBig = tf
        .engine()
        .runKernel(
          'Conv2DBackpropFilter',
          { x, dy },
          { ...attrs, filterShape: big.shape },
        ) as tf.Tensor4D;
      const dw = dilated
        ? tf.stridedSlice(dwBig, [0, 0, 0, 0], big.shape, [dil[0], dil[1], 1, 1])
        : dwBig;
      return [
        dw,
        tf
          .engine()
          .runKernel(
            'Conv2DBackpropInput',
            { dy, filter: big },
            { ...attrs, inputShape: c.x },
          ) as tf.Tensor,
      ];
    });

  it('matches the CPU filter and input gradients within 1e-4', async () => {
    const [dwW, dxW] = await onWasm();
    const [dwC, dxC] = await onCpu();
    expect(scaledMaxError(dwW!, dwC!)).toBeLessThan(1e-4);
    expect(scaledMaxError(dxW!, dxC!)).toBeLessThan(1e-4);
  });

  if (!dilated) {
    it('gives tf.grad of tf.conv2d the CPU gradients', async () => {
      const grads = (backend: 'cpu' | 'wasm') =>
        runOn(backend, () => {
          const dy = tf.tensor(dyv, dyShape);
          const f = (x: tf.Tensor, w: tf.Tensor) =>
            tf
              .conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad)
              .mul(dy)
              .sum();
          return tf.grads(f)([tf.tensor4d(xv, c.x), tf.tensor4d(wv, c.w)]);
        });
      const [gxW, gwW] = await grads('wasm');
      const [gxC, gwC] = await grads('cpu');
      expect(scaledMaxError(gxW!, gxC!)).toBeLessThan(1e-4);
      expect(scaledMaxError(gwW!, gwC!)).toBeLessThan(1e-4);
    });
  }
});
