// The Winograd filter-side transforms (src/engine/wasm/simd/winogradFilterSimd.ts) against the
// matrix products they stand for, computed here in float64 from G's definition: U = G g Gᵀ for
// each channel pair (of the filter as stored, and of the flipped, channel-swapped filter an input
// gradient applies) and dw = Gᵀ P G. The kernels compute in float64 and round once, so every value
// must be the float32 nearest the float64 product, give or take the last bit's rounding (the sum
// orders differ).
import { describe, expect, it } from 'vitest';
import { createMemory } from '../../../src/engine/wasm/simd/wasmApi.js';
import {
  runFilterGradTransform,
  runFilterTransform,
} from '../../../src/engine/wasm/simd/winogradFilterSimd.js';
import { seeded } from './backendCompare.js';

const G = [
  [1, 0, 0],
  [0.5, 0.5, 0.5],
  [0.5, -0.5, 0.5],
  [0, 0, 1],
];

/** a · b for row-major matrices given as arrays of rows */
function matMul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

function transpose(a: number[][]): number[][] {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}

/** Whether `actual` is the float32 rounding of `exact` within one unit in its last place. */
function withinOneUlp(actual: number, exact: number): boolean {
  const rounded = Math.fround(exact);
  const ulp = Math.max(Math.abs(rounded) * 2 ** -23, 2 ** -149);
  return Math.abs(actual - rounded) <= ulp;
}

/** Random float32 values spread over six decades, both signs. */
function values(count: number, seed: number): Float32Array {
  const r = seeded(2 * count, seed); // uniform in [−1, 1)
  return Float32Array.from({ length: count }, (_, i) => r[i]! * 10 ** (3 * r[count + i]!));
}

// Channel counts: ResNet's, odd ones (their last pair overlaps the one before), unequal ones.
const CHANNELS: [number, number][] = [
  [4, 4],
  [5, 7],
  [7, 4],
  [16, 16],
  [32, 64],
  [64, 32],
];

describe('Winograd filter transform U = G g Gᵀ', () => {
  for (const [C, CO] of CHANNELS) {
    for (const transposed of [false, true]) {
      it(`${C}→${CO} channels${transposed ? ', flipped and swapped (input gradient)' : ''}`, () => {
        const plane = C * CO;
        const memory = createMemory(26 * plane * 4 + 256);
        const wAt = 64;
        const uAt = wAt + 9 * plane * 4 + 64;
        const stored = values(9 * plane, C * 100 + CO + (transposed ? 7 : 0));
        new Float32Array(memory.buffer, wAt, 9 * plane).set(stored);
        new Float32Array(memory.buffer, uAt, 16 * plane).fill(Number.NaN);
        runFilterTransform(memory, wAt, uAt, C, CO, transposed);
        const u = new Float32Array(memory.buffer, uAt, 16 * plane);
        let wrong = 0;
        for (let c = 0; c < C; c++) {
          for (let co = 0; co < CO; co++) {
            // The taps g[kh][kw] this pair applies: stored [3,3,C,CO], or [3,3,CO,C] read flipped.
            const g = [0, 1, 2].map((kh) =>
              [0, 1, 2].map((kw) =>
                transposed
                  ? stored[((2 - kh) * 3 + (2 - kw)) * plane + co * C + c]!
                  : stored[(kh * 3 + kw) * plane + c * CO + co]!,
              ),
            );
            const exact = matMul(matMul(G, g), transpose(G));
            for (let r = 0; r < 4; r++) {
              for (let q = 0; q < 4; q++) {
                if (!withinOneUlp(u[(r * 4 + q) * plane + c * CO + co]!, exact[r]![q]!)) wrong++;
              }
            }
          }
        }
        expect(wrong).toBe(0);
      });
    }
  }
});

describe('Winograd filter gradient transform dw = Gᵀ P G', () => {
  for (const [C, CO] of CHANNELS) {
    it(`${C}→${CO} channels`, () => {
      const plane = C * CO;
      const memory = createMemory(25 * plane * 4 + 256);
      const pAt = 64;
      const dwAt = pAt + 16 * plane * 4 + 64;
      const products = values(16 * plane, C * 31 + CO);
      new Float32Array(memory.buffer, pAt, 16 * plane).set(products);
      new Float32Array(memory.buffer, dwAt, 9 * plane).fill(Number.NaN);
      runFilterGradTransform(memory, pAt, dwAt, C, CO);
      const dw = new Float32Array(memory.buffer, dwAt, 9 * plane);
      let wrong = 0;
      for (let k = 0; k < plane; k++) {
        const P = [0, 1, 2, 3].map((r) =>
          [0, 1, 2, 3].map((q) => products[(r * 4 + q) * plane + k]!),
        );
        const exact = matMul(matMul(transpose(G), P), G);
        for (let r = 0; r < 3; r++) {
          for (let q = 0; q < 3; q++) {
            if (!withinOneUlp(dw[(r * 3 + q) * plane + k]!, exact[r]![q]!)) wrong++;
          }
        }
      }
      expect(wrong).toBe(0);
    });
  }
});
