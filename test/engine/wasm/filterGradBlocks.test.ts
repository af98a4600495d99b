// The SIMD filter gradient sums the batch in blocks of images that fit a core's cache
// (simd/filterGradSimd.ts): several blocks, a last short block, one image over the budget and a
// strided conv's blocks each equal tfjs' CPU filter gradient within 1e-4.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imagesPerBlock } from '../../../src/engine/wasm/simd/filterGradSimd.js';
import { paddedSize } from '../../../src/engine/wasm/simd/padToTaps.js';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

interface Case {
  readonly name: string;
  /** [N, H, W, C], 'same' padding */
  readonly x: [number, number, number, number];
  readonly stride?: number;
  /** [KH, KW, C, CO] */
  readonly w: [number, number, number, number];
  /** Images per block that BLOCK_BYTES gives this shape (the case is about the blocks). */
  readonly perBlock: number;
}

// Few channels keep the CPU reference quick; the bytes per image set the blocks.
const CASES: Case[] = [
  // (87·87·1 + 85·85·6)·4 bytes per image: 5 per block, then a block of 2; 6 out channels.
  { name: 'blocks of 5 and 2', x: [7, 85, 85, 1], w: [3, 3, 1, 6], perBlock: 5 },
  // (232·232·1 + 230·230·4)·4 bytes: over 1 MB, one image per block.
  { name: 'one image per block', x: [3, 230, 230, 1], w: [3, 3, 1, 4], perBlock: 1 },
  {
    name: '5×5, 2 in channels, blocks of 4 and 1',
    x: [5, 90, 90, 2],
    w: [5, 5, 2, 5],
    perBlock: 4,
  },
  // Stride 2: (201·201·1 + 100·100·4)·4 bytes per image, 3 per block, then a block of 2.
  {
    name: 'stride 2, blocks of 3 and 2',
    x: [5, 200, 200, 1],
    w: [3, 3, 1, 4],
    stride: 2,
    perBlock: 3,
  },
];

describe.each(CASES)('SIMD filter gradient in image blocks: $name', (c) => {
  it('sums the blocks it is meant to', () => {
    const [N, H, W, C] = c.x;
    const [KH, KW, , CO] = c.w;
    const s = c.stride ?? 1;
    const out = { outHeight: Math.ceil(H / s), outWidth: Math.ceil(W / s) };
    // 'same' padding: x is read zero-padded to every tap of every output position.
    const [xHeight, xWidth] = paddedSize({
      ...out,
      filterHeight: KH,
      filterWidth: KW,
      strideHeight: s,
      strideWidth: s,
    });
    expect(
      imagesPerBlock({ batch: N, xHeight, xWidth, ...out, inChannels: C, outChannels: CO }),
    ).toBe(c.perBlock);
  });

  it('equals the CPU filter gradient', async () => {
    const xv = seeded(
      c.x.reduce((a, b) => a * b),
      11,
    );
    const s = c.stride ?? 1;
    const dyShape = [c.x[0], Math.ceil(c.x[1] / s), Math.ceil(c.x[2] / s), c.w[3]];
    const dyv = seeded(
      dyShape.reduce((a, b) => a * b),
      12,
    );
    const run = (backend: 'cpu' | 'wasm') =>
      runOn(
        backend,
        () =>
          tf
            .engine()
            .runKernel(
              'Conv2DBackpropFilter',
              { x: tf.tensor4d(xv, c.x), dy: tf.tensor(dyv, dyShape) },
              { strides: s, pad: 'same', dilations: 1, dataFormat: 'NHWC', filterShape: c.w },
            ) as tf.Tensor,
      );
    const [w] = await run('wasm');
    const [cpu] = await run('cpu');
    expect(scaledMaxError(w!, cpu!)).toBeLessThan(1e-4);
  });
});
