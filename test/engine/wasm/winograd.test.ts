// Winograd (src/engine/wasm/winogradConv.ts) for Conv2D, Conv2DBackpropFilter and
// Conv2DBackpropInput on wasm against tfjs' CPU kernels within 1e-4, for the shapes it takes — and
// the routing: each row says whether the forward conv (and with it the filter gradient) and the
// input gradient run as Winograd, and in tiles of how many rows the gradients run (4: F(4×2, 3×3),
// where their output height is a multiple of 4; 2: F(2×2, 3×3), as the forward always), so a row
// cannot silently test another path instead.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { convGeometry } from '../../../src/engine/wasm/convGeometry.js';
import { winogradChunk } from '../../../src/engine/wasm/simd/winogradSimd.js';
import {
  filterGradTileHeight,
  inputGradGeometry,
  inputGradTileHeight,
  winogradApplies,
  winogradFilterGradApplies,
} from '../../../src/engine/wasm/winogradConv.js';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

type Shape = [number, number, number, number];
type Pad = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];

interface Case {
  name: string;
  x: Shape;
  w: Shape;
  pad: Pad;
  /** whether the forward conv and filter gradient / the input gradient are expected on Winograd */
  forward: boolean;
  inputGrad: boolean;
  /** the input gradient's output rows per tile, where it runs as Winograd */
  inputGradTile?: 2 | 4;
  /** the filter gradient's (dy's) rows per tile, where it runs as Winograd */
  filterGradTile?: 2 | 4;
}

const CASES: Case[] = [
  {
    name: 'ResNet-20 stage 1 shape',
    x: [2, 8, 8, 16],
    w: [3, 3, 16, 16],
    pad: 'same',
    forward: true,
    filterGradTile: 4,
    inputGrad: true,
    inputGradTile: 4,
  },
  {
    name: '6 → 5 channels (overlapping groups), batch 3',
    x: [3, 6, 10, 6],
    w: [3, 3, 6, 5],
    pad: 'same',
    forward: true,
    inputGrad: true,
    inputGradTile: 2,
  },
  {
    name: '4 → 4 channels, batch 1, 2×2 output',
    x: [1, 2, 2, 4],
    w: [3, 3, 4, 4],
    pad: 'same',
    forward: true,
    filterGradTile: 2,
    inputGrad: true,
    inputGradTile: 2,
  },
  {
    name: 'valid padding',
    x: [2, 10, 8, 4],
    w: [3, 3, 4, 8],
    pad: 'valid',
    forward: true,
    filterGradTile: 4,
    inputGrad: true,
    inputGradTile: 2,
  },
  {
    name: 'valid padding: the input gradient in tiles of 4 rows, the filter gradient of 2',
    x: [2, 12, 6, 4],
    w: [3, 3, 4, 8],
    pad: 'valid',
    forward: true,
    filterGradTile: 2,
    inputGrad: true,
    inputGradTile: 4,
  },
  {
    name: 'asymmetric explicit padding',
    x: [2, 8, 10, 5],
    w: [3, 3, 5, 7],
    pad: [
      [0, 0],
      [2, 0],
      [0, 2],
      [0, 0],
    ],
    forward: true,
    inputGrad: true,
    inputGradTile: 4,
  },
  // The input gradient's own padding would be negative (−1): XNNPACK's path.
  {
    name: 'pad 3 (beyond the kernel reach)',
    x: [1, 4, 4, 4],
    w: [3, 3, 4, 4],
    pad: 3,
    forward: true,
    filterGradTile: 4,
    inputGrad: false,
  },
  {
    name: '128 channels',
    x: [2, 4, 4, 128],
    w: [3, 3, 128, 128],
    pad: 'same',
    forward: true,
    filterGradTile: 4,
    inputGrad: true,
    inputGradTile: 4,
  },
  {
    name: '512 → 16 channels (the widest taken)',
    x: [1, 4, 4, 512],
    w: [3, 3, 512, 16],
    pad: 'same',
    forward: true,
    filterGradTile: 4,
    inputGrad: true,
    inputGradTile: 4,
  },
  {
    name: '16 images in one chunk',
    x: [16, 4, 4, 8],
    w: [3, 3, 8, 8],
    pad: 'same',
    forward: true,
    filterGradTile: 4,
    inputGrad: true,
    inputGradTile: 4,
  },
  {
    name: 'prime batch (7)',
    x: [7, 12, 12, 8],
    w: [3, 3, 8, 12],
    pad: 'same',
    forward: true,
    filterGradTile: 4,
    inputGrad: true,
    inputGradTile: 4,
  },
  // Fallbacks: odd output size, 3 input channels (forward), 5×5 filter, 520 channels.
  // Filter gradient summed over several chunks (one image each); odd input channels (blocks of 1 row).
  {
    name: '3 chunks, 5 → 8 channels',
    x: [3, 48, 48, 5],
    w: [3, 3, 5, 8],
    pad: 'same',
    forward: true,
    filterGradTile: 4,
    inputGrad: true,
    inputGradTile: 4,
  },
  {
    name: 'an image in 3 chunks of 16 tile rows',
    x: [1, 96, 96, 8],
    w: [3, 3, 8, 8],
    pad: 'same',
    forward: true,
    filterGradTile: 4,
    inputGrad: true,
    inputGradTile: 4,
  },
  {
    name: '3 chunks, 16 → 16 channels',
    x: [3, 32, 32, 16],
    w: [3, 3, 16, 16],
    pad: 'same',
    forward: true,
    filterGradTile: 4,
    inputGrad: true,
    inputGradTile: 4,
  },
  {
    name: 'odd output (XNNPACK)',
    x: [2, 7, 7, 8],
    w: [3, 3, 8, 8],
    pad: 'same',
    forward: false,
    inputGrad: false,
  },
  {
    name: '3 input channels (forward on XNNPACK)',
    x: [2, 8, 8, 3],
    w: [3, 3, 3, 8],
    pad: 'same',
    forward: false,
    inputGrad: false,
  },
  {
    name: '5×5 filter (XNNPACK)',
    x: [2, 8, 8, 8],
    w: [5, 5, 8, 8],
    pad: 'same',
    forward: false,
    inputGrad: false,
  },
  {
    name: '520 channels (XNNPACK)',
    x: [1, 4, 4, 520],
    w: [3, 3, 520, 8],
    pad: 'same',
    forward: false,
    inputGrad: false,
  },
];

describe.each(CASES)('Winograd on wasm: $name', (c) => {
  const xv = seeded(
    c.x.reduce((a, b) => a * b),
    11,
  );
  const wv = seeded(
    c.w.reduce((a, b) => a * b),
    12,
  );
  const attrs = { strides: 1, pad: c.pad, dataFormat: 'NHWC' as const };
  const g = convGeometry(c.x, c.w, attrs, false);
  const dyShape = [g.batch, g.outHeight, g.outWidth, g.outChannels];
  const dyv = seeded(
    dyShape.reduce((a, b) => a * b),
    13,
  );

  it('takes the path the row names', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    expect(winogradApplies(backend, g)).toBe(c.forward);
    // The filter gradient sums in place: it takes output channels in multiples of 4 only.
    expect(winogradFilterGradApplies(backend, g)).toBe(c.forward && c.w[3] % 4 === 0);
    expect(winogradApplies(backend, inputGradGeometry(g))).toBe(c.inputGrad);
    if (c.inputGrad) expect(inputGradTileHeight(inputGradGeometry(g))).toBe(c.inputGradTile);
    if (winogradFilterGradApplies(backend, g))
      expect(filterGradTileHeight(g)).toBe(c.filterGradTile);
  });

  it('equals the CPU conv, filter gradient and input gradient within 1e-4', async () => {
    const run = (backend: 'cpu' | 'wasm') =>
      runOn(backend, () => {
        const x = tf.tensor4d(xv, c.x);
        const w = tf.tensor4d(wv, c.w);
        const dy = tf.tensor(dyv, dyShape);
        return [
          tf.conv2d(x, w, 1, c.pad),
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropInput',
              { dy, filter: w },
              { ...attrs, inputShape: c.x },
            ) as tf.Tensor,
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x, dy },
              { ...attrs, filterShape: c.w },
            ) as tf.Tensor,
        ];
      });
    const [yW, dxW, dwW] = await run('wasm');
    const [yC, dxC, dwC] = await run('cpu');
    expect(scaledMaxError(yW!, yC!)).toBeLessThan(1e-4);
    expect(scaledMaxError(dxW!, dxC!)).toBeLessThan(1e-4);
    expect(scaledMaxError(dwW!, dwC!)).toBeLessThan(1e-4);
  });
});

describe('winogradChunk', () => {
  const shape = {
    outHeight: 32,
    outWidth: 32,
    inChannels: 16,
    outChannels: 16,
    tileHeight: 2 as const,
  };
  it('takes the most whole images whose transforms fit 1 MiB, a divisor of the batch', () => {
    // 16 · 16 · 16 tiles · 32 channels · 4 bytes = 512 KiB an image.
    expect(winogradChunk(32, shape)).toEqual({ images: 2, tileRows: 16 });
    expect(winogradChunk(7, shape)).toEqual({ images: 1, tileRows: 16 });
    expect(winogradChunk(6, { ...shape, outHeight: 8, outWidth: 8 })).toEqual({
      images: 6,
      tileRows: 4,
    });
  });
  /** A 56×56, 64 → 64 conv (ResNet-18's first stage): a row of its tiles is a few hundred KiB. */
  const wide = { outHeight: 56, outWidth: 56, inChannels: 64, outChannels: 64 };
  it('counts 24 transform positions a tile in tiles of 4 rows', () => {
    // 8 tile rows · 16 · 24 · 32 channels · 4 bytes = 384 KiB an image: 2 fit, 4 do not.
    expect(winogradChunk(32, { ...shape, tileHeight: 4 })).toEqual({ images: 2, tileRows: 8 });
    // 56×56, 64 → 64: 28 tiles a row · 24 · 128 · 4 = 336 KiB a row of tiles; 2 rows divide 14.
    expect(winogradChunk(4, { ...wide, tileHeight: 4 })).toEqual({ images: 1, tileRows: 2 });
  });
  it('takes rows of tiles of one image when an image does not fit', () => {
    // 56×56, 64 → 64: 28 tiles a row · 16 · 128 · 4 = 224 KiB a row of tiles; 4 rows divide 28.
    expect(winogradChunk(4, { ...wide, tileHeight: 2 })).toEqual({
      images: 1,
      tileRows: 4,
    });
    // 96×96, 8 → 8: 48 · 16 · 16 · 4 = 48 KiB a row; 16 rows (a divisor of 48) fit.
    expect(
      winogradChunk(1, {
        outHeight: 96,
        outWidth: 96,
        inChannels: 8,
        outChannels: 8,
        tileHeight: 2,
      }),
    ).toEqual({
      images: 1,
      tileRows: 16,
    });
    // 48×48, 5 → 8: 468 KiB an image, so 1 of 3 per chunk (2 do not divide 3).
    expect(
      winogradChunk(3, {
        outHeight: 48,
        outWidth: 48,
        inChannels: 5,
        outChannels: 8,
        tileHeight: 2,
      }),
    ).toEqual({
      images: 1,
      tileRows: 24,
    });
  });
  it('takes at least ½·C·CO / (C + CO) tiles even when they do not fit', () => {
    // 14×14, 256 → 256: 7 tiles a row, 229 KiB a row; 7 tiles < 64, so 2 images (98 tiles).
    expect(
      winogradChunk(8, {
        outHeight: 14,
        outWidth: 14,
        inChannels: 256,
        outChannels: 256,
        tileHeight: 2,
      }),
    ).toEqual({
      images: 2,
      tileRows: 7,
    });
  });
});
