// A WASM SIMD matrix product C[M, N] = A[M, K] · B[K, N] (A optionally stored transposed), generated
// per shape by wasmEmitter and run on the tfjs wasm heap. For the small products of a dense layer
// at batch 32–64 XNNPACK spends more time packing B (a new tensor every step) than multiplying.
//
// Blocks of 4 rows × 8 columns of C stay in 8 v128 accumulators over the whole K loop: per k, two
// vectors of B and four splatted values of A. The last row/column block is moved back to end at
// M/N (overlapping the one before: the same sums in the same order, stored twice).
import { cachedKernel, type WasmMemory } from './wasmApi.js';
import { FunctionBody, I32, V128, moduleBytes } from './wasmEmitter.js';

const ROWS = 4;

export interface MatMulShape {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** A is stored [K, M] (the product uses its transpose). */
  readonly transposeA: boolean;
}

/**
 * Above this many elements of B (1 MiB) the product stays on XNNPACK: it was as fast there even
 * with a new B per call (64×2048×1024: 19.9 vs 20.6 ms), and it reuses its packed B across calls
 * with the same weights (inference), which this kernel cannot.
 */
const MAX_B_ELEMENTS = 262_144;

/** Whether the SIMD product handles this shape (at least one full block, B ≤ 1 MiB). */
export function simdMatMulApplies(shape: { m: number; n: number; k: number }): boolean {
  return shape.m >= ROWS && shape.n >= 4 && shape.k >= 1 && shape.k * shape.n <= MAX_B_ELEMENTS;
}

type MatMulFn = (a: number, b: number, c: number) => void;

function generate(s: MatMulShape): Uint8Array {
  const { m: M, k: K, n: N } = s;
  const vectors = N >= 8 ? 2 : 1;
  const cols = vectors * 4;
  const rowStep = (s.transposeA ? 1 : K) * 4; // bytes between A[m, k] and A[m + 1, k]
  const kStep = (s.transposeA ? M : 1) * 4; // bytes between A[m, k] and A[m, k + 1]
  const f = new FunctionBody(3);
  const [aBase, bBase, cBase] = [0, 1, 2];
  const [rb, cb, m0, n0, kk, ap, bp, cp] = [0, 0, 0, 0, 0, 0, 0, 0].map(() => f.local(I32)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const bv = Array.from({ length: vectors }, () => f.local(V128));
  const av = f.local(V128);
  const acc = Array.from({ length: ROWS }, () => bv.map(() => f.local(V128)));

  f.i32(0).set(rb);
  f.doWhile(rb, Math.ceil(M / ROWS), () => {
    f.blockStart(rb, ROWS, M, m0);
    f.i32(0).set(cb);
    f.doWhile(cb, Math.ceil(N / cols), () => {
      f.blockStart(cb, cols, N, n0);
      for (const row of acc) for (const a of row) f.v128Zero().set(a);
      f.get(aBase).get(m0).i32(rowStep).mul().add().set(ap);
      f.get(bBase).get(n0).i32(4).mul().add().set(bp);
      f.i32(0).set(kk);
      f.doWhile(kk, K, () => {
        bv.forEach((v, j) =>
          f
            .get(bp)
            .v128Load(16 * j)
            .set(v),
        );
        for (let r = 0; r < ROWS; r++) {
          f.get(ap)
            .load32Splat(r * rowStep)
            .set(av);
          bv.forEach((v, j) => {
            const a = acc[r]![j]!;
            f.multiplyAdd(a, av, v);
          });
        }
        f.increment(ap, kStep).increment(bp, N * 4);
      });
      f.get(cBase)
        .get(m0)
        .i32(N * 4)
        .mul()
        .add()
        .get(n0)
        .i32(4)
        .mul()
        .add()
        .set(cp);
      for (let r = 0; r < ROWS; r++) {
        bv.forEach((_, j) =>
          f
            .get(cp)
            .get(acc[r]![j]!)
            .v128Store(r * N * 4 + 16 * j),
        );
      }
    });
  });
  return moduleBytes(3, f);
}

/** C = A · B (or Aᵀ · B) for byte addresses on the wasm heap. */
export function runMatMulSimd(
  memory: WasmMemory,
  shape: MatMulShape,
  a: number,
  b: number,
  c: number,
): void {
  const fn = cachedKernel<MatMulFn>(
    memory,
    `matmul/${shape.m}/${shape.k}/${shape.n}/${shape.transposeA}`,
    () => generate(shape),
  );
  fn(a, b, c);
}
