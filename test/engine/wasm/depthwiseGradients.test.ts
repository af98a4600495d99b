// DepthwiseConv2dNative backprop kernels on WASM (missing from tfjs-backend-wasm) against the CPU.
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

interface Case {
  name: string;
  x: [number, number, number, number];
  /** [KH, KW, C, multiplier] */
  w: [number, number, number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];
  dilations: number | [number, number];
}

const CASES: Case[] = [
  { name: '3×3 same', x: [2, 8, 8, 4], w: [3, 3, 4, 1], strides: 1, pad: 'same', dilations: 1 },
  {
    name: 'multiplier 2, stride 2',
    x: [2, 9, 9, 3],
    w: [3, 3, 3, 2],
    strides: 2,
    pad: 'same',
    dilations: 1,
  },
  {
    name: 'valid, 5×3 kernel',
    x: [3, 10, 8, 2],
    w: [5, 3, 2, 3],
    strides: 1,
    pad: 'valid',
    dilations: 1,
  },
  {
    name: 'explicit pad, stride [1,2]',
    x: [1, 7, 9, 3],
    w: [3, 3, 3, 1],
    strides: [1, 2],
    pad: [
      [0, 0],
      [2, 0],
      [1, 1],
      [0, 0],
    ],
    dilations: 1,
  },
  { name: 'dilation 2', x: [2, 11, 11, 3], w: [3, 3, 3, 2], strides: 1, pad: 'same', dilations: 2 },
  {
    name: 'dilation [3,2] valid',
    x: [1, 12, 10, 2],
    w: [3, 3, 2, 1],
    strides: 1,
    pad: 'valid',
    dilations: [3, 2],
  },
];

beforeAll(initBackends);

describe.each(CASES)('depthwise conv gradients on wasm: $name', (c) => {
  const outShape = tf.backend_util.computeConv2DInfo(
    c.x,
    c.w,
    c.strides,
    c.dilations,
    c.pad,
    undefined,
    true,
  ).outShape;
  const xv = seeded(
    c.x.reduce((a, b) => a * b),
    11,
  );
  const wv = seeded(
    c.w.reduce((a, b) => a * b),
    12,
  );
  const dyv = seeded(
    outShape.reduce((a, b) => a * b),
    13,
  );
  const dil = pair(c.dilations);
  const dilated = dil[0] > 1 || dil[1] > 1;
  /** Kernel API on `backend`; the CPU's depthwise backprop kernels ignore dilations, so the CPU
   * reference for a dilated case is the plain conv with a zero-inserted filter, then subsampled. */
  const grads = (backend: 'cpu' | 'wasm') =>
    runOn(backend, () => {
      const x = tf.tensor4d(xv, c.x);
      const w = tf.tensor4d(wv, c.w);
      const filter = backend === 'cpu' && dilated ? zeroInserted(w, dil) : w;
      const dy = tf.tensor(dyv, outShape);
      const attrs = {
        strides: c.strides,
        pad: c.pad,
        dilations: backend === 'cpu' ? 1 : c.dilations,
      };
      const dw = tf
        .engine()
        .runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x, dy },
          { ...attrs, filterShape: filter.shape },
        ) as tf.Tensor4D;
      return [
        filter === w ? dw : tf.stridedSlice(dw, [0, 0, 0, 0], filter.shape, [dil[0], dil[1], 1, 1]),
        tf
          .engine()
          .runKernel(
            'DepthwiseConv2dNativeBackpropInput',
            { dy, filter },
            { ...attrs, inputShape: c.x },
          ) as tf.Tensor,
      ];
    });

  it('matches the CPU filter and input gradients within 1e-4', async () => {
    const [dwW, dxW] = await grads('wasm');
    const [dwC, dxC] = await grads('cpu');
    expect(scaledMaxError(dwW!, dwC!)).toBeLessThan(1e-4);
    expect(scaledMaxError(dxW!, dxC!)).toBeLessThan(1e-4);
  });
});

it('trains through tf.depthwiseConv2d on wasm (gradients of the op, not only the kernels)', async () => {
  await initBackends();
  const run = (backend: 'cpu' | 'wasm') =>
    runOn(backend, () => {
      const f = (x: tf.Tensor, w: tf.Tensor) =>
        tf
          .depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')
          .square()
          .sum();
      return tf.grads(f)([
        tf.tensor4d(seeded(2 * 7 * 7 * 3, 5), [2, 7, 7, 3]),
        tf.tensor4d(seeded(27 * 2, 6), [3, 3, 3, 2]),
      ]);
    });
  const [gxW, gwW] = await run('wasm');
  const [gxC, gwC] = await run('cpu');
  expect(scaledMaxError(gxW!, gxC!)).toBeLessThan(1e-4);
  expect(scaledMaxError(gwW!, gwC!)).toBeLessThan(1e-4);
});
