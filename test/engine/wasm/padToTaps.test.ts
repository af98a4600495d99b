// The zero-padded copy the SIMD conv kernels read (src/engine/wasm/simd/padToTaps.ts), against
// the frame built here element by element: every float x's value where the frame covers x, else 0
// — with padding on every side, on none but the bottom/right, rows and columns of x beyond the
// frame (never read by a strided conv), channel counts not a multiple of 4 and one image.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { convGeometry } from '../../../src/engine/wasm/convGeometry.js';
import { padToTaps } from '../../../src/engine/wasm/simd/padToTaps.js';
import { initBackends, seeded } from './backendCompare.js';

beforeAll(initBackends);

const CASES: {
  name: string;
  x: [number, number, number, number];
  k: number;
  stride: number;
  pad: number | 'same' | 'valid';
}[] = [
  { name: '3×3 stride 2, pad 1 (ResNet downsampling)', x: [3, 8, 8, 16], k: 3, stride: 2, pad: 1 },
  { name: '3×3 stride 1 same, 3 channels (a stem)', x: [2, 6, 5, 3], k: 3, stride: 1, pad: 'same' },
  { name: '5×5 same, one image, 1 channel', x: [1, 7, 7, 1], k: 5, stride: 1, pad: 2 },
  {
    name: '3×3 stride 2 same: bottom and right only',
    x: [2, 8, 8, 6],
    k: 3,
    stride: 2,
    pad: 'same',
  },
  {
    name: '2×2 stride 3 valid: x beyond the frame',
    x: [2, 9, 10, 5],
    k: 2,
    stride: 3,
    pad: 'valid',
  },
  { name: '3×3 stride 2 pad 1, odd size', x: [2, 7, 9, 4], k: 3, stride: 2, pad: 1 },
];

describe('padToTaps', () => {
  it.each(CASES)('$name: the frame, element by element', async ({ x: shape, k, stride, pad }) => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const [N, H, W, C] = shape;
    const data = seeded(N * H * W * C, 7);
    const x = tf.tensor(data, shape);
    const g = convGeometry(shape, [k, k, C, 4], { strides: stride, pad }, false);
    const PH = (g.outHeight - 1) * stride + k;
    const PW = (g.outWidth - 1) * stride + k;
    const xp = padToTaps(backend, x, g);
    expect(xp.shape).toEqual([N, PH, PW, C]);
    const got = backend.readSync(xp.dataId) as Float32Array;
    const want = new Float32Array(N * PH * PW * C);
    for (let n = 0; n < N; n++)
      for (let p = 0; p < PH; p++)
        for (let q = 0; q < PW; q++)
          for (let c = 0; c < C; c++) {
            const r = p - g.padTop;
            const s = q - g.padLeft;
            if (r >= 0 && r < H && s >= 0 && s < W)
              want[((n * PH + p) * PW + q) * C + c] = data[((n * H + r) * W + s) * C + c]!;
          }
    expect(Array.from(got)).toEqual(Array.from(want));
    if (xp.dataId !== x.dataId) backend.disposeData(xp.dataId);
    x.dispose();
  });
});
