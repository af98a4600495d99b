// The filter-side transforms of Winograd F(2×2, 3×3) as generated WASM SIMD, two channel pairs per
// f64x2 vector: U = G g Gᵀ (16 values per channel pair from its 3×3 taps) before a convolution, and
// the filter gradient's dw = Gᵀ P G (9 values from the 16 summed products) after one. Both are
// computed in float64 and rounded once to float32, each value by the same operations in the same
// order as the JavaScript loops they replace (which took ~7 ms of a ResNet-20 step at batch 32:
// docs/performance.md) — so the results are the same floats.
import { FunctionBody, moduleBytes, I32, V128 } from './wasmEmitter.js';
import { cachedKernel, type WasmMemory } from './wasmApi.js';

type Fn = (src: number, dst: number) => void;

/**
 * How a kernel walks the channel pairs: `rows` rows of `rowLength` pairs, two at a time (a row's
 * last two overlap the two before when its length is odd: each pair's values depend on it alone).
 * Pair (row, j) is read at float (row · rowLength + j) of each input plane and written at float
 * (row + j · outStride) of each output plane — or at (row · rowLength + j) when `outStride` is 0.
 */
interface PairWalk {
  readonly rows: number;
  readonly rowLength: number;
  readonly outStride: number;
}

/**
 * A kernel over the pairs of `walk`. `body` gets the byte addresses of the pair's first input and
 * output (locals) and returns nothing; it reads input plane p at offset p·inPlaneBytes and writes
 * through `store`.
 */
function generatePairs(
  walk: PairWalk,
  body: (f: FunctionBody, load: (offset: number) => number, store: Store) => void,
): Uint8Array {
  const f = new FunctionBody(2);
  const [src, dst] = [0, 1];
  const row = f.local(I32);
  const block = f.local(I32);
  const j = f.local(I32);
  const input = f.local(I32);
  const output = f.local(I32);
  const value = f.local(V128);
  const blocks = Math.ceil(walk.rowLength / 2);
  const load = (offset: number): number => {
    const local = f.local(V128);
    f.get(input).load64Zero(offset).f64x2PromoteLow().set(local);
    return local;
  };
  const store: Store = (offset, compute) => {
    compute();
    f.f32x4DemoteZero().set(value);
    if (walk.outStride === 0) {
      f.get(output).get(value).store64Low(offset);
    } else {
      f.get(output).get(value).store32Lane(offset, 0);
      f.get(output)
        .get(value)
        .store32Lane(offset + walk.outStride * 4, 1);
    }
  };
  f.i32(0).set(row);
  f.doWhile(row, walk.rows, () => {
    f.i32(0).set(block);
    f.doWhile(block, blocks, () => {
      f.blockStart(block, 2, walk.rowLength, j);
      // input = src + (row · rowLength + j) · 4
      f.get(row).i32(walk.rowLength).mul().get(j).add().i32(4).mul().get(src).add().set(input);
      if (walk.outStride === 0) f.get(input).get(src).i32(-1).mul().add().get(dst).add();
      else f.get(j).i32(walk.outStride).mul().get(row).add().i32(4).mul().get(dst).add();
      f.set(output);
      body(f, load, store);
    });
  });
  return moduleBytes(2, f);
}

/** Writes the value `compute` leaves on the stack (an f64x2) to the output plane at `offset`. */
type Store = (offset: number, compute: () => void) => void;

/**
 * U [(tileHeight + 2)·4, C, CO] = G g Gᵀ for every channel pair, from the filter at byte address
 * `w` — stored [3, 3, C, CO], or, `transposed`, [3, 3, CO, C] (the filter of the convolution whose
 * input gradient this is: its taps then apply flipped in space, its channels swapped) — to byte
 * address `u`. Along a filter row G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]] (F(2, 3));
 * down a column the same for tileHeight 2, and for 4 F(4, 3)'s
 * [[¼, 0, 0], [−⅙, −⅙, −⅙], [−⅙, ⅙, −⅙], [1/24, 1/12, ⅙], [1/24, −1/12, ⅙], [0, 0, 1]].
 */
export function runFilterTransform(
  memory: WasmMemory,
  w: number,
  u: number,
  inChannels: number,
  outChannels: number,
  transposed: boolean,
  tileHeight: 2 | 4 = 2,
): void {
  const C = inChannels;
  const CO = outChannels;
  const plane = C * CO;
  const walk: PairWalk = transposed
    ? { rows: CO, rowLength: C, outStride: CO }
    : { rows: 1, rowLength: plane, outStride: 0 };
  const key = `winograd-u/${C}x${CO}/${transposed ? 't' : 'n'}/${tileHeight}`;
  const fn = cachedKernel<Fn>(memory, key, () =>
    generatePairs(walk, (f, load, store) => {
      const g = Array.from({ length: 9 }, (_, k) => load((transposed ? 8 - k : k) * plane * 4));
      const half = (): void => void f.f64x2Const(0.5).f64x2Mul();
      // (a + b + d) / 2 and (a − b + d) / 2, as the rows of G give them.
      const sum = (a: () => void, b: () => void, d: () => void): void => {
        a();
        b();
        f.f64x2Add();
        d();
        f.f64x2Add();
        half();
      };
      const diff = (a: () => void, b: () => void, d: () => void): void => {
        a();
        b();
        f.f64x2Sub();
        d();
        f.f64x2Add();
        half();
      };
      // G g: rows of 3, the first and last G's rows are copies of g's (tileHeight 4: F(4, 3)'s G
      // down the columns, filterColumns6).
      const kept = (local: number) => (): void => void f.get(local);
      const gg: (() => void)[] = tileHeight === 4 ? filterColumns6(f, g).map(kept) : [];
      if (tileHeight === 2) {
        for (let q = 0; q < 3; q++) gg[q] = kept(g[q]!);
        for (let q = 0; q < 3; q++) {
          const [a, b, d] = [kept(g[q]!), kept(g[3 + q]!), kept(g[6 + q]!)];
          const s = f.local(V128);
          const t = f.local(V128);
          sum(a, b, d);
          f.set(s);
          diff(a, b, d);
          f.set(t);
          gg[3 + q] = kept(s);
          gg[6 + q] = kept(t);
          gg[9 + q] = kept(g[6 + q]!);
        }
      }
      // (G g) Gᵀ, row by row: F(2, 3)'s G along each.
      for (let r = 0; r < gg.length / 3; r++) {
        const [a, b, d] = [gg[r * 3]!, gg[r * 3 + 1]!, gg[r * 3 + 2]!];
        const at = (col: number): number => (r * 4 + col) * plane * 4;
        store(at(0), a);
        store(at(1), () => sum(a, b, d));
        store(at(2), () => diff(a, b, d));
        store(at(3), d);
      }
    }),
  );
  fn(w, u);
}

/**
 * G g down each column of the 9 taps `g` (f64x2 locals, row-major) for F(4, 3)'s G: g0/4,
 * −(g0 + g1 + g2)/6, −(g0 − g1 + g2)/6, (g0 + 2·g1 + 4·g2)/24, (g0 − 2·g1 + 4·g2)/24, g2, in
 * float64 — the 6 rows of 3 as locals, row-major.
 */
function filterColumns6(f: FunctionBody, g: readonly number[]): number[] {
  const rows: number[] = [];
  for (let j = 0; j < 3; j++) {
    const [a, b, c] = [g[j]!, g[3 + j]!, g[6 + j]!];
    const out = Array.from({ length: 6 }, () => f.local(V128));
    f.get(a).f64x2Const(0.25).f64x2Mul().set(out[0]!);
    f.get(a).get(b).f64x2Add().get(c).f64x2Add().f64x2Const(-6).f64x2Div().set(out[1]!);
    f.get(a).get(b).f64x2Sub().get(c).f64x2Add().f64x2Const(-6).f64x2Div().set(out[2]!);
    const twice = (): void => void f.get(b).f64x2Const(2).f64x2Mul();
    const four = (): void => void f.get(c).f64x2Const(4).f64x2Mul();
    f.get(a);
    twice();
    f.f64x2Add();
    four();
    f.f64x2Add().f64x2Const(24).f64x2Div().set(out[3]!);
    f.get(a);
    twice();
    f.f64x2Sub();
    four();
    f.f64x2Add().f64x2Const(24).f64x2Div().set(out[4]!);
    f.get(c).set(out[5]!);
    out.forEach((local, r) => (rows[r * 3 + j] = local));
  }
  return rows;
}

/**
 * Column q of Gᵀ P for F(4, 3)'s G, from the column's 6 products `p` (f64x2 locals), into
 * gp[q], gp[4 + q], gp[8 + q]: p0/4 − (p1 + p2)/6 + (p3 + p4)/24, (p2 − p1)/6 + (p3 − p4)/12,
 * (p3 + p4 − p1 − p2)/6 + p5.
 */
function gradientRows6(f: FunctionBody, p: readonly number[], gp: number[], q: number): void {
  const [p0, p1, p2, p3, p4, p5] = p as [number, number, number, number, number, number];
  const [s12, s34] = [f.local(V128), f.local(V128)];
  f.get(p1).get(p2).f64x2Add().set(s12);
  f.get(p3).get(p4).f64x2Add().set(s34);
  gp[q] = f.local(V128);
  f.get(p0).f64x2Const(4).f64x2Div();
  f.get(s12).f64x2Const(6).f64x2Div().f64x2Sub();
  f.get(s34).f64x2Const(24).f64x2Div().f64x2Add().set(gp[q]!);
  gp[4 + q] = f.local(V128);
  f.get(p2).get(p1).f64x2Sub().f64x2Const(6).f64x2Div();
  f.get(p3)
    .get(p4)
    .f64x2Sub()
    .f64x2Const(12)
    .f64x2Div()
    .f64x2Add()
    .set(gp[4 + q]!);
  gp[8 + q] = f.local(V128);
  f.get(s34).get(s12).f64x2Sub().f64x2Const(6).f64x2Div();
  f.get(p5)
    .f64x2Add()
    .set(gp[8 + q]!);
}

/**
 * dw [3, 3, C, CO] = Gᵀ P G for every channel pair, from the products P [(tileHeight + 2)·4, C,
 * CO] at byte address `p` to byte address `dw`. Gᵀ = [[1, ½, ½, 0], [0, ½, −½, 0], [0, ½, ½, 1]]
 * (tileHeight 4: F(4, 3)'s down the columns).
 */
export function runFilterGradTransform(
  memory: WasmMemory,
  p: number,
  dw: number,
  inChannels: number,
  outChannels: number,
  tileHeight: 2 | 4 = 2,
): void {
  const plane = inChannels * outChannels;
  const fn = cachedKernel<Fn>(memory, `winograd-dw-out/${plane}/${tileHeight}`, () =>
    generatePairs({ rows: 1, rowLength: plane, outStride: 0 }, (f, load, store) => {
      const P = Array.from({ length: (tileHeight + 2) * 4 }, (_, k) => load(k * plane * 4));
      const half = (): void => void f.f64x2Const(0.5).f64x2Mul();
      // Gᵀ P: rows of 4. p0 + (p1 + p2) / 2, (p1 − p2) / 2, (p1 + p2) / 2 + p3 down each column
      // (tileHeight 4: F(4, 3)'s Gᵀ, gradientRows6).
      const gp: number[] = [];
      for (let q = 0; q < 4; q++) {
        if (tileHeight === 4) {
          gradientRows6(
            f,
            [0, 1, 2, 3, 4, 5].map((r) => P[r * 4 + q]!),
            gp,
            q,
          );
          continue;
        }
        const [p0, p1, p2, p3] = [P[q]!, P[4 + q]!, P[8 + q]!, P[12 + q]!];
        const h = f.local(V128);
        f.get(p1).get(p2).f64x2Add();
        half();
        f.set(h);
        gp[q] = f.local(V128);
        f.get(p0).get(h).f64x2Add().set(gp[q]!);
        gp[4 + q] = f.local(V128);
        f.get(p1).get(p2).f64x2Sub();
        half();
        f.set(gp[4 + q]!);
        gp[8 + q] = f.local(V128);
        f.get(h)
          .get(p3)
          .f64x2Add()
          .set(gp[8 + q]!);
      }
      // (Gᵀ P) G, row by row: a + (b + c) / 2, (b − c) / 2, (b + c) / 2 + d.
      for (let r = 0; r < 3; r++) {
        const [a, b, c, d] = [gp[r * 4]!, gp[r * 4 + 1]!, gp[r * 4 + 2]!, gp[r * 4 + 3]!];
        const at = (col: number): number => (r * 3 + col) * plane * 4;
        store(at(0), () => {
          f.get(a).get(b).get(c).f64x2Add();
          half();
          f.f64x2Add();
        });
        store(at(1), () => {
          f.get(b).get(c).f64x2Sub();
          half();
        });
        store(at(2), () => {
          f.get(b).get(c).f64x2Add();
          half();
          f.get(d).f64x2Add();
        });
      }
    }),
  );
  fn(p, dw);
}
