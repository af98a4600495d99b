// The input gradient of strided convs by stride phases (stridedInputGrad.ts) against tfjs' CPU
// Conv2DBackpropInput within 1e-4; each case also states whether the phase path takes it.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { convGeometry } from '../../../src/engine/wasm/convGeometry.js';
import { stridedInputGradApplies } from '../../../src/engine/wasm/stridedInputGrad.js';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

type Pad = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];
interface Case {
  readonly name: string;
  /** [N, H, W, C] */
  readonly x: [number, number, number, number];
  /** [KH, KW, C, CO] */
  readonly w: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: Pad;
  /** whether the phase decomposition runs it (else dy spread by the stride, one conv) */
  readonly phases: boolean;
}

const CASES: Case[] = [
  {
    name: 'ResNet-20 3×3 stride 2 same',
    x: [2, 16, 16, 16],
    w: [3, 3, 16, 32],
    strides: 2,
    pad: 'same',
    phases: true,
  },
  {
    name: 'ResNet-20 1×1 stride 2 projection: odd rows untouched',
    x: [2, 16, 16, 16],
    w: [1, 1, 16, 32],
    strides: 2,
    pad: 'valid',
    phases: true,
  },
  {
    name: '3×3 stride 2 valid, odd size: a row dropped by floor',
    x: [2, 11, 9, 4],
    w: [3, 3, 4, 5],
    strides: 2,
    pad: 'valid',
    phases: true,
  },
  {
    name: '6 channels: overlapping vector copy',
    x: [1, 9, 9, 6],
    w: [3, 3, 6, 4],
    strides: 2,
    pad: 1,
    phases: true,
  },
  {
    name: 'stride [2, 1], explicit asymmetric pad',
    x: [2, 7, 8, 4],
    w: [3, 2, 4, 4],
    strides: [2, 1],
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
    phases: true,
  },
  {
    name: '7×7 stride 3 same',
    x: [2, 13, 14, 8],
    w: [7, 7, 8, 3],
    strides: 3,
    pad: 'same',
    phases: true,
  },
  {
    name: '2×2 stride 3: a phase no tap reaches',
    x: [1, 10, 10, 4],
    w: [2, 2, 4, 4],
    strides: 3,
    pad: 'valid',
    phases: true,
  },
  {
    name: '4×4 stride 2 pad 1',
    x: [2, 8, 8, 4],
    w: [4, 4, 4, 8],
    strides: 2,
    pad: 1,
    phases: true,
  },
  {
    name: 'pad beyond the kernel: cropping, spread path',
    x: [1, 6, 6, 4],
    w: [3, 3, 4, 4],
    strides: 2,
    pad: [
      [0, 0],
      [4, 4],
      [4, 4],
      [0, 0],
    ],
    phases: false,
  },
  {
    name: '3 channels: spread path',
    x: [2, 9, 9, 3],
    w: [3, 3, 3, 4],
    strides: 2,
    pad: 'same',
    phases: false,
  },
];

beforeAll(initBackends);

describe.each(CASES)('Conv2DBackpropInput on wasm: $name', (c) => {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.w, c.strides, 1, c.pad);
  const wv = seeded(
    c.w.reduce((a, b) => a * b),
    21,
  );
  const dyv = seeded(
    info.outShape.reduce((a, b) => a * b),
    22,
  );

  it(`${c.phases ? 'runs' : 'does not run'} by stride phases`, async () => {
    await tf.setBackend('wasm');
    const g = convGeometry(c.x, c.w, { strides: c.strides, pad: c.pad }, false);
    expect(stridedInputGradApplies(tf.backend() as unknown as BackendWasm, g)).toBe(c.phases);
  });

  it('equals the CPU input gradient', async () => {
    const run = (backend: 'cpu' | 'wasm') =>
      runOn(
        backend,
        () =>
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy: tf.tensor(dyv, info.outShape), filter: tf.tensor4d(wv, c.w) },
              { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x },
            ) as tf.Tensor,
      );
    const [w] = await run('wasm');
    const [cpu] = await run('cpu');
    expect(scaledMaxError(w!, cpu!)).toBeLessThan(1e-4);
  });
});
