import { describe, expect, it } from 'vitest';
import { DIGIT_SIZE, digitImage } from '../../../renderer/inspect/digitImage';
import {
  base64Bytes,
  heatmapRgba,
  kernelRgba,
  rangeOf,
  tensorValues,
  viridis,
} from '../../../renderer/inspect/pixels';

/** A W×H ink image with the rectangle [x0, x1) × [y0, y1) fully drawn. */
function rect(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const ink = new Uint8Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * w + x] = 255;
  return ink;
}

function centreOfMass(img: Uint8Array, size: number): [number, number] {
  let [m, cx, cy] = [0, 0, 0];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = img[y * size + x]!;
      m += v;
      cx += v * (x + 0.5);
      cy += v * (y + 0.5);
    }
  }
  return [cx / m, cy / m];
}

describe('digitImage: a drawing prepared as MNIST digits were', () => {
  it('is null for an empty pad', () => {
    expect(digitImage(new Uint8Array(100 * 100), 100, 100)).toBeNull();
  });

  it('scales the ink box to 20 px on its longer side and centres its mass in 28×28', () => {
    // A small stroke drawn in the top-left corner of a 160 px pad: 20×60 px.
    const out = digitImage(rect(160, 160, 10, 5, 30, 65), 160, 160)!;
    expect(out).toHaveLength(DIGIT_SIZE * DIGIT_SIZE);
    const rows = new Set<number>();
    const cols = new Set<number>();
    out.forEach((v, i) => {
      if (v > 0) {
        rows.add(Math.floor(i / DIGIT_SIZE));
        cols.add(i % DIGIT_SIZE);
      }
    });
    expect(rows.size).toBe(20);
    expect(cols.size).toBeGreaterThanOrEqual(6);
    expect(cols.size).toBeLessThanOrEqual(8);
    const [cx, cy] = centreOfMass(out, DIGIT_SIZE);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(1);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(1);
  });

  it('keeps full ink at full intensity when shrinking (area average)', () => {
    const out = digitImage(rect(200, 200, 50, 50, 150, 150), 200, 200)!;
    expect(Math.max(...out)).toBe(255);
    expect(out.filter((v) => v > 0)).toHaveLength(400);
  });
});

describe('pixels: decoding the contract and colouring values', () => {
  it('decodes base64 float32 as the engine encodes it', () => {
    const floats = new Float32Array([1.5, -2, 0.25]);
    const data = Buffer.from(floats.buffer).toString('base64');
    expect([...tensorValues({ shape: [3], data, min: -2, max: 1.5 })]).toEqual([1.5, -2, 0.25]);
    expect([...base64Bytes('AP8=')]).toEqual([0, 255]);
  });

  it('maps the range ends to the ends of viridis; a constant channel to its low end', () => {
    const values = new Float32Array([-1, 3, 1]);
    const rgba = heatmapRgba(values, 0, 3, rangeOf(values));
    expect([...rgba.subarray(0, 3)]).toEqual(viridis(0));
    expect([...rgba.subarray(4, 7)]).toEqual(viridis(1));
    expect([...rgba.subarray(8, 11)]).toEqual(viridis(0.5));
    expect([
      ...heatmapRgba(new Float32Array([2, 2]), 0, 2, { min: 2, max: 2 }).subarray(0, 3),
    ]).toEqual(viridis(0));
    expect(rangeOf(new Float32Array([5, -4, 9, 0]), 1, 2)).toEqual({ min: -4, max: 9 });
  });

  it('draws a kernel tap 0 as mid grey and ±limit as white / black, one input channel at a time', () => {
    // 1 filter, 2 input channels, 1×2 taps: channel 0 = [0.5, -0.5], channel 1 = [0, 0.5].
    const values = new Float32Array([0.5, -0.5, 0, 0.5]);
    const c0 = kernelRgba(values, [1, 2, 1, 2], 0, 0, 0.5);
    expect([...c0]).toEqual([255, 255, 255, 255, 1, 1, 1, 255]);
    const c1 = kernelRgba(values, [1, 2, 1, 2], 0, 1, 0.5);
    expect([...c1]).toEqual([128, 128, 128, 255, 255, 255, 255, 255]);
  });
});
