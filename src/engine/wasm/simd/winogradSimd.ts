// Winograd F(2×2, 3×3) for 3×3 stride-1 convolutions — forward and filter gradient — as generated
// WASM SIMD functions run on the tfjs wasm heap (Lavin & Gray, "Fast Algorithms for Convolutional
// Neural Networks", 2016).
//
// Each 2×2 block of outputs ("tile") is computed from the 4×4 input window around it:
//   y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
// summed over the input channels. With V[t][ξ][c] = (Bᵀ d_t,c B)[ξ] and U[ξ][c][co] = (G g_c,co Gᵀ)[ξ]
// for the 16 positions ξ of the 4×4 transform, the channel sum becomes 16 matrix products
// M[ξ] = V[ξ] · U[ξ], and each tile's outputs are Aᵀ M[t][·] A. The products do 16 multiplies
// per tile and channel pair where the direct convolution does 36 (2.25× fewer). V and M are
// tile-major: each tile's 16 vectors are adjacent, so the transforms read and write in one place.
// The filter gradient is the same formula differentiated: dw = Gᵀ [Σ_t (A dy_t Aᵀ) ⊙ V_t] G.
// A tile may also be 4×2 outputs from a 6×4 window — F(4, 3) down the columns, F(2, 3) along the
// rows: 24 products per 8 outputs and channel pair, a quarter fewer. Its float32 error is about
// twice F(2×2)'s, so only the gradients use it (winogradConv.ts, inputGradTileHeight).
//
// The work goes in chunks — whole images, or rows of tiles of one large image — whose V and M fit
// in a core's L2 cache, so that the transforms and the products read what the step before just
// wrote. Channels are the SIMD lanes
// of the transforms (NHWC keeps them adjacent); a channel count that is not a multiple of 4 ends
// with a group overlapping the one before (the same values stored twice).
import { cachedKernel, type WasmMemory } from './wasmApi.js';
import { FunctionBody, I32, V128, moduleBytes } from './wasmEmitter.js';
import { runFilterGradTransform } from './winogradFilterSimd.js';

/** Constants one set of generated functions is specialized to. */
export interface WinogradShape {
  /** output rows and columns (both even) */
  readonly outHeight: number;
  readonly outWidth: number;
  readonly inChannels: number;
  readonly outChannels: number;
  /** the input map [N, inHeight, inWidth, C] and the zero rows and columns implied around it */
  readonly inHeight: number;
  readonly inWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
  /** images per chunk */
  readonly images: number;
  /** tile rows of each image per chunk: all of them (outHeight / tileHeight) unless one image is a chunk */
  readonly tileRows: number;
  /**
   * Output rows per tile: 2 for F(2×2, 3×3); 4 for F(4×2, 3×3) — F(4, 3) down the columns and
   * F(2, 3) along the rows, 24 products per 8 outputs instead of 16 per 4 (the input and filter
   * gradients, where dx's or dy's height is a multiple of 4; the forward is always 2).
   */
  readonly tileHeight: TileHeight;
  /**
   * Bytes left free after each tile's 16 vectors in V and M (or W): 0 for the forward products,
   * TILE_GAP for the filter gradient's, whose sums walk down the tiles — with tiles 1, 2 or 4 KB
   * apart (16, 32, 64 channels) every row they read fell in the same few L1 sets.
   */
  readonly tileGap: number;
}

/** Output rows per tile (WinogradShape.tileHeight). */
export type TileHeight = 2 | 4;

/** Transform positions per tile: (tileHeight + 2) window rows × 4 window columns. */
export function tilePositions(tileHeight: TileHeight): number {
  return (tileHeight + 2) * 4;
}

/** The filter gradient's tileGap: one cache line (its products 13–18 % faster, docs/performance.md). */
export const TILE_GAP = 64;

/** Bytes from one tile's vectors of `channels` floats to the next one's. */
function tileBytes(s: WinogradShape, channels: number): number {
  return tilePositions(s.tileHeight) * channels * 4 + s.tileGap;
}

/** First channel of each group of 4, the last one overlapping the one before. */
function channelGroups(channels: number): number[] {
  return Array.from({ length: Math.ceil(channels / 4) }, (_, i) => Math.min(4 * i, channels - 4));
}

/** An NHWC map a transform walks: a parameter holding its address, its width and channels. */
interface MapWalk {
  readonly param: number;
  readonly width: number;
  readonly channels: number;
}

/**
 * The loops of a transform over every tile of a chunk, images then tile rows then tiles: `body`
 * gets a local pointing at the tile's top-left pixel of `map` and one pointing at the tile's 16
 * vectors of `tileChannels` floats (tile-major, from the parameter `tileParam`).
 */
function tileLoops(
  f: FunctionBody,
  s: WinogradShape,
  map: MapWalk,
  tileParam: number,
  tileChannels: number,
  body: (pixel: number, tile: number) => void,
): void {
  const i32 = (): number => f.local(I32);
  const [img, i, j, row, pixel, tile] = [i32(), i32(), i32(), i32(), i32(), i32()];
  const pixelBytes = map.channels * 4;
  f.get(map.param).set(row).get(tileParam).set(tile).i32(0).set(img);
  f.doWhile(img, s.images, () => {
    f.i32(0).set(i);
    f.doWhile(i, s.tileRows, () => {
      f.get(row).set(pixel).i32(0).set(j);
      f.doWhile(j, s.outWidth / 2, () => {
        body(pixel, tile);
        f.increment(pixel, 2 * pixelBytes).increment(tile, tileBytes(s, tileChannels));
      });
      f.increment(row, s.tileHeight * map.width * pixelBytes);
    });
  });
}

/**
 * The tile columns of a row in runs that read the same window columns of x: the 4×4 window of
 * tile column j starts at x column 2j − padLeft, and its columns outside x are the zero padding.
 */
function columnRuns(s: WinogradShape): { from: number; to: number; inside: boolean[] }[] {
  const runs: { from: number; to: number; inside: boolean[] }[] = [];
  for (let j = 0; j < s.outWidth / 2; j++) {
    const inside = [0, 1, 2, 3].map((q) => {
      const col = 2 * j - s.padLeft + q;
      return col >= 0 && col < s.inWidth;
    });
    const last = runs[runs.length - 1];
    if (last !== undefined && last.inside.every((v, q) => v === inside[q])) last.to = j + 1;
    else runs.push({ from: j, to: j + 1, inside });
  }
  return runs;
}

/**
 * d ↦ Bᵀ d B for every tile and group of 4 channels of the chunk (Bᵀ of F(tileHeight, 3) down the
 * window's columns, of F(2, 3) along its rows): run(x, v, firstTileRow, zeros)
 * with x the chunk's first image [inHeight, inWidth, C] and `zeros` a row of inWidth·C zeros. The
 * padding is never materialized: a window row outside x reads the zero row (chosen per tile row),
 * a window column outside it is a zero vector (the code is specialized per run of tile columns).
 */
function generateInputTransform(s: WinogradShape): Uint8Array {
  const C = s.inChannels;
  const rowBytes = s.inWidth * C * 4;
  const windowRows = s.tileHeight + 2;
  const f = new FunctionBody(4);
  const [x, vParam, firstRow, zeros] = [0, 1, 2, 3];
  const i32 = (): number => f.local(I32);
  const [img, k, j, image, tile, col, y] = [i32(), i32(), i32(), i32(), i32(), i32(), i32()];
  const rows = Array.from({ length: windowRows }, i32);
  const at = Array.from({ length: windowRows }, i32);
  const d = Array.from({ length: windowRows * 4 }, () => f.local(V128));
  const t = Array.from({ length: windowRows }, () => f.local(V128));
  const temp = [f.local(V128), f.local(V128)] as const;
  f.get(x).set(image).get(vParam).set(tile).i32(0).set(img);
  f.doWhile(img, s.images, () => {
    f.i32(0).set(k);
    f.doWhile(k, s.tileRows, () => {
      // Window row r of tile row (firstRow + k) is x row y = tileHeight·(firstRow + k) − padTop + r.
      rows.forEach((row, r) => {
        f.get(firstRow)
          .get(k)
          .add()
          .i32(s.tileHeight)
          .mul()
          .i32(r - s.padTop)
          .add()
          .set(y);
        f.get(image).get(y).i32(rowBytes).mul().add();
        f.get(zeros);
        f.get(y).i32(s.inHeight).ltU();
        f.select().set(row);
      });
      for (const run of columnRuns(s)) {
        f.i32(run.from).set(j);
        f.i32((2 * run.from - s.padLeft) * C * 4).set(col);
        f.doWhile(j, run.to, () => {
          rows.forEach((row, r) => f.get(row).get(col).add().set(at[r]!));
          for (const c0 of channelGroups(C)) {
            // Columns first: e[r][·] = d[r][·] B, then the rows: v[·][s] = Bᵀ e[·][s].
            for (let r = 0; r < windowRows; r++) {
              for (let q = 0; q < 4; q++) {
                if (run.inside[q]!) f.get(at[r]!).v128Load((q * C + c0) * 4);
                else f.v128Zero();
                f.set(d[r * 4 + q]!);
              }
              const dRow = d.slice(r * 4, r * 4 + 4);
              transform4(f, dRow, t);
              for (let q = 0; q < 4; q++) f.get(t[q]!).set(dRow[q]!);
            }
            for (let q = 0; q < 4; q++) {
              const dCol = Array.from({ length: windowRows }, (_, r) => d[r * 4 + q]!);
              if (s.tileHeight === 2) transform4(f, dCol, t);
              else transform6(f, dCol, t, temp);
              for (let r = 0; r < windowRows; r++) {
                f.get(tile)
                  .get(t[r]!)
                  .v128Store(((r * 4 + q) * C + c0) * 4);
              }
            }
          }
          f.increment(col, 2 * C * 4).increment(tile, tileBytes(s, C));
        });
      }
    });
    f.increment(image, s.inHeight * rowBytes);
  });
  return moduleBytes(4, f);
}

/** out = Bᵀ · in for 4 vectors: (in0 − in2, in1 + in2, in2 − in1, in1 − in3). */
function transform4(f: FunctionBody, v: readonly number[], out: readonly number[]): void {
  const [a, b, c, d] = v as [number, number, number, number];
  f.get(a).get(c).f32x4Sub().set(out[0]!);
  f.get(b).get(c).f32x4Add().set(out[1]!);
  f.get(c).get(b).f32x4Sub().set(out[2]!);
  f.get(b).get(d).f32x4Sub().set(out[3]!);
}

/**
 * out = Bᵀ · in for 6 vectors, Bᵀ of F(4, 3) (Lavin & Gray's, points 0, ±1, ±2):
 * (4·d0 + d4 − 5·d2, t + s, t − s, u + v, u − v, 4·d1 + d5 − 5·d3) with t = d4 − 4·d2,
 * s = d3 − 4·d1, u = d4 − d2, v = 2·(d3 − d1). `temp` holds two vectors between the steps.
 */
function transform6(
  f: FunctionBody,
  v: readonly number[],
  out: readonly number[],
  temp: readonly [number, number],
): void {
  const [d0, d1, d2, d3, d4, d5] = v as [number, number, number, number, number, number];
  const [a, b] = temp;
  const scaled = (local: number, k: number): void => void f.get(local).f32x4Const(k).f32x4Mul();
  scaled(d0, 4);
  f.get(d4).f32x4Add();
  scaled(d2, 5);
  f.f32x4Sub().set(out[0]!);
  scaled(d1, 4);
  f.get(d5).f32x4Add();
  scaled(d3, 5);
  f.f32x4Sub().set(out[5]!);
  f.get(d4);
  scaled(d2, 4);
  f.f32x4Sub().set(a);
  f.get(d3);
  scaled(d1, 4);
  f.f32x4Sub().set(b);
  f.get(a).get(b).f32x4Add().set(out[1]!);
  f.get(a).get(b).f32x4Sub().set(out[2]!);
  f.get(d4).get(d2).f32x4Sub().set(a);
  f.get(d3).get(d1).f32x4Sub().f32x4Const(2).f32x4Mul().set(b);
  f.get(a).get(b).f32x4Add().set(out[3]!);
  f.get(a).get(b).f32x4Sub().set(out[4]!);
}

/**
 * A product block: 2 rows × 4 vectors (16 columns) of M in 8 accumulators. Measured against
 * 3×4, 4×2, 4×3, 6×2 and 1×4 on ResNet-20's shapes: 2×4 and 4×2 fastest (docs/performance.md).
 */
const GEMM_ROWS = 2;
const GEMM_VECTORS = 4;

/** One of the 16 sets of products: strides in bytes, sizes in elements. */
interface PlaneProducts {
  /** how many products (transform positions) */
  readonly planes: number;
  /** rows of each product's result and the length of the sum */
  readonly rows: number;
  readonly cols: number;
  readonly depth: number;
  /** A[row, k]: bytes to the next row, the next k, the next plane */
  readonly aRow: number;
  readonly aDepth: number;
  readonly aPlane: number;
  /** B[k, col] (columns adjacent): bytes to the next k, the next plane */
  readonly bDepth: number;
  readonly bPlane: number;
  /** C[row, col] (columns adjacent): bytes to the next row, the next plane */
  readonly cRow: number;
  readonly cPlane: number;
  /** C += A · B (blocks must then tile C exactly) instead of C = A · B */
  readonly accumulate: boolean;
}

/**
 * Tiles per pass of the filter gradient's sums: every block of P adds up this many tiles before
 * the next block starts, so that their V and W rows are still in L1 for the next block (whole
 * chunks went to L2 once per block: 29–34 → 33–36 GFLOP/s on ResNet-20's shapes, measured with
 * 32, 64 and 128; docs/performance.md).
 */
const ACCUMULATE_DEPTH = 32;

/**
 * C[ξ] (+)= A[ξ] · B[ξ] for the positions ξ, as (A, B, C) byte addresses. Blocks of 2 rows ×
 * 16 columns of C (fewer where C is smaller, or where accumulating needs exact tiling) stay in
 * accumulators over a loop along the sum — not unrolled: V8 compiled the unrolled sum ~2× slower.
 * Without accumulation the last row and column blocks end at the edge, overlapping the ones before
 * (the same sums stored twice); with it, the sum goes in passes of ACCUMULATE_DEPTH terms over
 * every block.
 */
function generatePlaneProducts(p: PlaneProducts): Uint8Array {
  const rows = p.accumulate
    ? p.rows % GEMM_ROWS === 0
      ? GEMM_ROWS
      : 1
    : Math.min(GEMM_ROWS, p.rows);
  const vectors = p.accumulate
    ? [GEMM_VECTORS, 3, 2, 1].find((v) => p.cols % (4 * v) === 0)!
    : Math.min(GEMM_VECTORS, Math.floor(p.cols / 4));
  const cols = vectors * 4;
  const f = new FunctionBody(3);
  const [aBase, bBase, cBase] = [0, 1, 2];
  const i32 = (): number => f.local(I32);
  const [xi, rb, cb, aPlane, bPlane, cPlane] = [i32(), i32(), i32(), i32(), i32(), i32()];
  const [r0, c0, ak, bk, cp, k] = [i32(), i32(), i32(), i32(), i32(), i32()];
  const [pass, aPass, bPass] = [i32(), i32(), i32()];
  const bv = Array.from({ length: vectors }, () => f.local(V128));
  const av = f.local(V128);
  const acc = Array.from({ length: rows }, () => bv.map(() => f.local(V128)));

  /** Every block of C, its sum over `depth` terms from aPass and bPass. */
  const blocks = (depth: number): void => {
    f.i32(0).set(rb);
    f.doWhile(rb, Math.ceil(p.rows / rows), () => {
      f.blockStart(rb, rows, p.rows, r0);
      f.i32(0).set(cb);
      f.doWhile(cb, Math.ceil(p.cols / cols), () => {
        f.blockStart(cb, cols, p.cols, c0);
        f.get(cPlane).get(r0).i32(p.cRow).mul().add().get(c0).i32(4).mul().add().set(cp);
        for (let r = 0; r < rows; r++) {
          bv.forEach((_, q) => {
            if (p.accumulate)
              f.get(cp)
                .v128Load(r * p.cRow + 16 * q)
                .set(acc[r]![q]!);
            else f.v128Zero().set(acc[r]![q]!);
          });
        }
        f.get(aPass).get(r0).i32(p.aRow).mul().add().set(ak);
        f.get(bPass).get(c0).i32(4).mul().add().set(bk);
        f.i32(0).set(k);
        f.doWhile(k, depth, () => {
          bv.forEach((v, q) =>
            f
              .get(bk)
              .v128Load(16 * q)
              .set(v),
          );
          for (let r = 0; r < rows; r++) {
            f.get(ak)
              .load32Splat(r * p.aRow)
              .set(av);
            bv.forEach((v, q) => {
              const a = acc[r]![q]!;
              f.multiplyAdd(a, av, v);
            });
          }
          f.increment(ak, p.aDepth).increment(bk, p.bDepth);
        });
        for (let r = 0; r < rows; r++) {
          bv.forEach((_, q) =>
            f
              .get(cp)
              .get(acc[r]![q]!)
              .v128Store(r * p.cRow + 16 * q),
          );
        }
      });
    });
  };

  const passDepth = p.accumulate ? Math.min(ACCUMULATE_DEPTH, p.depth) : p.depth;
  const fullPasses = Math.floor(p.depth / passDepth);
  const rest = p.depth - fullPasses * passDepth;
  f.get(aBase).set(aPlane).get(bBase).set(bPlane).get(cBase).set(cPlane).i32(0).set(xi);
  f.doWhile(xi, p.planes, () => {
    f.get(aPlane).set(aPass).get(bPlane).set(bPass).i32(0).set(pass);
    f.doWhile(pass, fullPasses, () => {
      blocks(passDepth);
      f.increment(aPass, passDepth * p.aDepth).increment(bPass, passDepth * p.bDepth);
    });
    if (rest > 0) blocks(rest);
    f.increment(aPlane, p.aPlane).increment(bPlane, p.bPlane).increment(cPlane, p.cPlane);
  });
  return moduleBytes(3, f);
}

/** M[ξ] = V[ξ] · U[ξ]: [T, C] · [C, CO] for each position ξ, T the chunk's tiles (V and M tile-major). */
function generateProducts(s: WinogradShape): Uint8Array {
  const { inChannels: C, outChannels: CO } = s;
  return generatePlaneProducts({
    planes: tilePositions(s.tileHeight),
    rows: chunkTiles(s),
    cols: CO,
    depth: C,
    aRow: tileBytes(s, C),
    aDepth: 4,
    aPlane: C * 4,
    bDepth: CO * 4,
    bPlane: C * CO * 4,
    cRow: tileBytes(s, CO),
    cPlane: CO * 4,
    accumulate: false,
  });
}

/** P[ξ] += V[ξ]ᵀ · W[ξ]: [C, T] · [T, CO], the chunk's tiles added to the chunks before. */
function generateFilterProducts(s: WinogradShape): Uint8Array {
  const { inChannels: C, outChannels: CO } = s;
  return generatePlaneProducts({
    planes: tilePositions(s.tileHeight),
    rows: C,
    cols: CO,
    depth: chunkTiles(s),
    aRow: 4,
    aDepth: tileBytes(s, C),
    aPlane: C * 4,
    bDepth: tileBytes(s, CO),
    bPlane: CO * 4,
    cRow: CO * 4,
    cPlane: C * CO * 4,
    accumulate: true,
  });
}

/** Tiles in one chunk. */
function chunkTiles(s: WinogradShape): number {
  return s.images * s.tileRows * (s.outWidth / 2);
}

/**
 * m ↦ Aᵀ m A: each tile's tileHeight×2 outputs from its products, written into y [N, OH, OW, CO]
 * (Aᵀ of F(tileHeight, 3) down the columns, of F(2, 3) along the rows).
 */
function generateOutputTransform(s: WinogradShape): Uint8Array {
  const OW = s.outWidth;
  const CO = s.outChannels;
  const TH = s.tileHeight;
  const f = new FunctionBody(2);
  const m = Array.from({ length: tilePositions(TH) }, () => f.local(V128));
  const e = Array.from({ length: TH * 4 }, () => f.local(V128));
  const temp = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)] as const;
  /** (a + b + c, b − c − d) */
  const reduce = (v: readonly number[], out0: number, out1: number): void => {
    const [a, b, c, d] = v as [number, number, number, number];
    f.get(a).get(b).f32x4Add().get(c).f32x4Add().set(out0);
    f.get(b).get(c).f32x4Sub().get(d).f32x4Sub().set(out1);
  };
  const y = { param: 1, width: OW, channels: CO };
  tileLoops(f, s, y, 0, CO, (yb, mp) => {
    for (const c0 of channelGroups(CO)) {
      m.forEach((local, xi) =>
        f
          .get(mp)
          .v128Load((xi * CO + c0) * 4)
          .set(local),
      );
      // Rows: e[a][q] = (Aᵀ m[·][q])[a]; then columns: y[a][b] = (e[a][·] A)[b].
      for (let q = 0; q < 4; q++) {
        const column = Array.from({ length: TH + 2 }, (_, r) => m[r * 4 + q]!);
        if (TH === 2) reduce(column, e[q]!, e[4 + q]!);
        else
          reduce6(
            f,
            column,
            [0, 1, 2, 3].map((a) => e[a * 4 + q]!),
            temp,
          );
      }
      for (let a = 0; a < TH; a++) {
        reduce(e.slice(a * 4, a * 4 + 4), m[0]!, m[1]!);
        f.get(yb)
          .get(m[0]!)
          .v128Store((a * OW * CO + c0) * 4);
        f.get(yb)
          .get(m[1]!)
          .v128Store((a * OW * CO + CO + c0) * 4);
      }
    }
  });
  return moduleBytes(2, f);
}

/**
 * Aᵀ · m for 6 vectors, Aᵀ of F(4, 3): (m0 + p + r, q + 2·s, p + 4·r, q + 8·s + m5) with
 * p = m1 + m2, q = m1 − m2, r = m3 + m4, s = m3 − m4.
 */
function reduce6(
  f: FunctionBody,
  m: readonly number[],
  out: readonly number[],
  temp: readonly [number, number, number, number],
): void {
  const [m0, m1, m2, m3, m4, m5] = m as [number, number, number, number, number, number];
  const [p, q, r, s] = temp;
  f.get(m1).get(m2).f32x4Add().set(p);
  f.get(m1).get(m2).f32x4Sub().set(q);
  f.get(m3).get(m4).f32x4Add().set(r);
  f.get(m3).get(m4).f32x4Sub().set(s);
  f.get(m0).get(p).f32x4Add().get(r).f32x4Add().set(out[0]!);
  f.get(q).get(s).f32x4Const(2).f32x4Mul().f32x4Add().set(out[1]!);
  f.get(p).get(r).f32x4Const(4).f32x4Mul().f32x4Add().set(out[2]!);
  f.get(q).get(s).f32x4Const(8).f32x4Mul().f32x4Add().get(m5).f32x4Add().set(out[3]!);
}

/**
 * The filter gradient's transform of dy: each tile's 2×2 block of dy ↦ A dy Aᵀ (4×4), written as
 * W[t][ξ][co] (the layout of M).
 */
function generateDyTransform(s: WinogradShape): Uint8Array {
  const OW = s.outWidth;
  const CO = s.outChannels;
  const TH = s.tileHeight;
  const f = new FunctionBody(2);
  const p = Array.from({ length: TH * 2 }, () => f.local(V128));
  const e = Array.from({ length: TH * 4 }, () => f.local(V128));
  const o = Array.from({ length: TH + 2 }, () => f.local(V128));
  const temp = [f.local(V128), f.local(V128)] as const;
  /** (u, v) ↦ (u, u + v, u − v, −v) */
  const expand = (u: number, v: number, out: readonly number[]): void => {
    f.get(u).set(out[0]!);
    f.get(u).get(v).f32x4Add().set(out[1]!);
    f.get(u).get(v).f32x4Sub().set(out[2]!);
    f.get(v).f32x4Neg().set(out[3]!);
  };
  const dy = { param: 0, width: OW, channels: CO };
  tileLoops(f, s, dy, 1, CO, (db, wp) => {
    for (const c0 of channelGroups(CO)) {
      for (let a = 0; a < TH; a++) {
        for (let b = 0; b < 2; b++) {
          f.get(db)
            .v128Load(((a * OW + b) * CO + c0) * 4)
            .set(p[a * 2 + b]!);
        }
      }
      // Columns of each dy row: e[a][·] = dy[a][·] Aᵀ; then rows: W[·][q] = A e[·][q].
      for (let a = 0; a < TH; a++) expand(p[2 * a]!, p[2 * a + 1]!, e.slice(4 * a, 4 * a + 4));
      for (let q = 0; q < 4; q++) {
        if (TH === 2) expand(e[q]!, e[4 + q]!, o);
        else
          expand6(
            f,
            [0, 1, 2, 3].map((a) => e[a * 4 + q]!),
            o,
            temp,
          );
        for (let r = 0; r < TH + 2; r++) {
          f.get(wp)
            .get(o[r]!)
            .v128Store(((r * 4 + q) * CO + c0) * 4);
        }
      }
    }
  });
  return moduleBytes(2, f);
}

/**
 * out = A · in for 4 vectors (a, b, c, d), A the transpose of F(4, 3)'s Aᵀ:
 * (a, p + q, p − q, r + s, r − s, d) with p = a + c, q = b + d, r = a + 4·c, s = 2·b + 8·d.
 */
function expand6(
  f: FunctionBody,
  v: readonly number[],
  out: readonly number[],
  temp: readonly [number, number],
): void {
  const [a, b, c, d] = v as [number, number, number, number];
  const [x, y] = temp;
  f.get(a).set(out[0]!);
  f.get(d).set(out[5]!);
  f.get(a).get(c).f32x4Add().set(x);
  f.get(b).get(d).f32x4Add().set(y);
  f.get(x).get(y).f32x4Add().set(out[1]!);
  f.get(x).get(y).f32x4Sub().set(out[2]!);
  f.get(a).get(c).f32x4Const(4).f32x4Mul().f32x4Add().set(x);
  f.get(b).f32x4Const(2).f32x4Mul().get(d).f32x4Const(8).f32x4Mul().f32x4Add().set(y);
  f.get(x).get(y).f32x4Add().set(out[3]!);
  f.get(x).get(y).f32x4Sub().set(out[4]!);
}

type Fn = (...args: number[]) => void;

/**
 * What one call needs besides its addresses, built once per shape object and memory: the
 * generated functions and the chunks' offsets (the kernel-cache keys alone, a JSON string of the
 * shape each, took ~1 ms of a ResNet-20 step).
 */
interface Prepared<F> {
  readonly memory: WasmMemory;
  readonly batch: number;
  readonly fns: F;
  readonly offsets: readonly { x: number; row: number; y: number }[];
}

function prepared<F>(
  cache: WeakMap<WinogradShape, Prepared<F>>,
  memory: WasmMemory,
  shape: WinogradShape,
  batch: number,
  build: () => F,
): Prepared<F> {
  const hit = cache.get(shape);
  if (hit !== undefined && hit.memory === memory && hit.batch === batch) return hit;
  const made = { memory, batch, fns: build(), offsets: chunkOffsets(shape, batch) };
  cache.set(shape, made);
  return made;
}

type ForwardFns = { input: Fn; products: Fn; output: Fn };
const forwardPrepared = new WeakMap<WinogradShape, Prepared<ForwardFns>>();

/** The three functions for `shape`, compiled once per memory. */
function winogradFns(memory: WasmMemory, shape: WinogradShape): ForwardFns {
  const key = JSON.stringify(shape);
  return {
    input: cachedKernel<Fn>(memory, `winograd-in/${key}`, () => generateInputTransform(shape)),
    products: cachedKernel<Fn>(memory, `winograd-mm/${key}`, () => generateProducts(shape)),
    output: cachedKernel<Fn>(memory, `winograd-out/${key}`, () => generateOutputTransform(shape)),
  };
}

type FilterGradFns = { input: Fn; dy: Fn; products: Fn };
const filterGradPrepared = new WeakMap<WinogradShape, Prepared<FilterGradFns>>();

/** The filter gradient's functions for `shape` (the input transform is the forward's). */
function filterGradFns(memory: WasmMemory, shape: WinogradShape): FilterGradFns {
  const key = JSON.stringify(shape);
  return {
    input: cachedKernel<Fn>(memory, `winograd-in/${key}`, () => generateInputTransform(shape)),
    dy: cachedKernel<Fn>(memory, `winograd-dy/${key}`, () => generateDyTransform(shape)),
    products: cachedKernel<Fn>(memory, `winograd-dw/${key}`, () => generateFilterProducts(shape)),
  };
}

/** Bytes of V and M per chunk aimed at: about half a 2 MB L2 cache. */
const CHUNK_BYTES = 1 << 20;

/**
 * The chunk for a batch — whole images (a divisor of the batch) or rows of tiles of one image (a
 * divisor of its tile rows): the largest whose V and M fit CHUNK_BYTES, so that each step reads
 * what the one before wrote from L2 — unless it has fewer than ½·C·CO / (C + CO) tiles: then the
 * products would spend more on reading U or adding to P (16·C·CO floats, once per chunk) than on
 * V and M, and the smallest chunk with that many tiles is taken instead (measured with 128–512
 * channels: docs/performance.md).
 */
export function winogradChunk(
  batch: number,
  s: Pick<WinogradShape, 'outHeight' | 'outWidth' | 'inChannels' | 'outChannels' | 'tileHeight'>,
): { images: number; tileRows: number } {
  const rowsPerImage = s.outHeight / s.tileHeight;
  const tilesPerRow = s.outWidth / 2;
  const bytesPerTile = tilePositions(s.tileHeight) * (s.inChannels + s.outChannels) * 4;
  const divisors = (n: number): number[] =>
    Array.from({ length: n }, (_, k) => k + 1).filter((k) => n % k === 0);
  const candidates = [
    ...divisors(rowsPerImage).map((tileRows) => ({ images: 1, tileRows })),
    ...divisors(batch)
      .filter((images) => images > 1)
      .map((images) => ({ images, tileRows: rowsPerImage })),
  ];
  const tiles = (c: { images: number; tileRows: number }): number =>
    c.images * c.tileRows * tilesPerRow;
  const minTiles = (s.inChannels * s.outChannels) / (s.inChannels + s.outChannels) / 2;
  const fitting = candidates.filter((c) => tiles(c) * bytesPerTile <= CHUNK_BYTES);
  const best = fitting.length > 0 ? fitting[fitting.length - 1]! : candidates[0]!;
  if (tiles(best) >= minTiles) return best;
  return candidates.find((c) => tiles(c) >= minTiles) ?? candidates[candidates.length - 1]!;
}

/** Bytes of V and M (or V and W) of one chunk. */
function transformBytes(s: WinogradShape): number {
  return chunkTiles(s) * (tileBytes(s, s.inChannels) + tileBytes(s, s.outChannels));
}

/** Bytes of the scratch buffer the runs need: V and M (or V and W), then a row of zeros. */
export function winogradScratchBytes(s: WinogradShape): number {
  return transformBytes(s) + s.inWidth * s.inChannels * 4;
}

/** The zero row of `scratch` (the padding the input transform reads), zeroed. */
function zeroRow(memory: WasmMemory, scratch: number, s: WinogradShape): number {
  const at = scratch + transformBytes(s);
  new Float32Array(memory.buffer, at, s.inWidth * s.inChannels).fill(0);
  return at;
}

/**
 * Every chunk of a batch — images first, then rows of tiles — as the byte offset of its first
 * image in the input (C channels), its first tile row, and its byte offset in an output or dy
 * (CO channels).
 */
function chunkOffsets(s: WinogradShape, batch: number): { x: number; row: number; y: number }[] {
  const { outHeight: OH, outWidth: OW, inChannels: C, outChannels: CO } = s;
  const out: { x: number; row: number; y: number }[] = [];
  for (let n = 0; n < batch; n += s.images) {
    for (let r = 0; r < OH / s.tileHeight; r += s.tileRows) {
      out.push({
        x: n * s.inHeight * s.inWidth * C * 4,
        row: r,
        y: (n * OH + s.tileHeight * r) * OW * CO * 4,
      });
    }
  }
  return out;
}

/** Byte addresses of one Winograd convolution on the wasm heap. */
export interface WinogradCall {
  readonly memory: WasmMemory;
  /** x [N, inHeight, inWidth, C] */
  readonly x: number;
  /** U [tilePositions(tileHeight), C, CO] (`runFilterTransform`) */
  readonly u: number;
  /** y [N, OH, OW, CO], every element written */
  readonly y: number;
  /** winogradScratchBytes(shape) bytes */
  readonly scratch: number;
  readonly batch: number;
  readonly shape: WinogradShape;
}

export function runWinograd(call: WinogradCall): void {
  const { shape: s, memory } = call;
  const { fns, offsets } = prepared(forwardPrepared, memory, s, call.batch, () =>
    winogradFns(memory, s),
  );
  const v = call.scratch;
  const m = v + chunkTiles(s) * tileBytes(s, s.inChannels);
  const zeros = zeroRow(memory, call.scratch, s);
  for (const at of offsets) {
    fns.input(call.x + at.x, v, at.row, zeros);
    fns.products(v, call.u, m);
    fns.output(m, call.y + at.y);
  }
}

/** Byte addresses of one Winograd filter gradient on the wasm heap. */
export interface WinogradFilterGradCall {
  readonly memory: WasmMemory;
  /** x [N, inHeight, inWidth, C] */
  readonly x: number;
  /** dy [N, OH, OW, CO] */
  readonly dy: number;
  /** winogradScratchBytes(shape) bytes */
  readonly scratch: number;
  /** P [tilePositions(tileHeight), C, CO]: the products summed over the chunks */
  readonly products: number;
  /** dw [3, 3, C, CO] */
  readonly dw: number;
  readonly batch: number;
  readonly shape: WinogradShape;
}

/**
 * dw [3, 3, C, CO] = Σ over tiles of Gᵀ [(A dy Aᵀ) ⊙ (Bᵀ d B)] G — the gradient of the forward
 * formula with respect to g. The products are summed in float32 (the transforms only add and
 * halve, so P's rounding is that of the direct sum's).
 */
export function runWinogradFilterGrad(call: WinogradFilterGradCall): void {
  const { shape: s, memory } = call;
  const { fns, offsets } = prepared(filterGradPrepared, memory, s, call.batch, () =>
    filterGradFns(memory, s),
  );
  const { inChannels: C, outChannels: CO } = s;
  const v = call.scratch;
  const w = v + chunkTiles(s) * tileBytes(s, C);
  const zeros = zeroRow(memory, call.scratch, s);
  new Float32Array(memory.buffer, call.products, tilePositions(s.tileHeight) * C * CO).fill(0);
  for (const at of offsets) {
    fns.input(call.x + at.x, v, at.row, zeros);
    fns.dy(call.dy + at.y, w);
    fns.products(v, w, call.products);
  }
  runFilterGradTransform(memory, call.products, call.dw, C, CO, s.tileHeight);
}
