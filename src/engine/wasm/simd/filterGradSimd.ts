// A hand-written WASM SIMD filter gradient for undilated convolutions, generated per
// shape by wasmEmitter and run on the tfjs wasm heap (no copies). XNNPACK runs LeNet's conv1
// filter gradient (C_in = 1: batch as channels, a 28×28 "filter") at a third of conv2's rate;
// this loop reaches ~3× that (docs/performance.md).
//
// dw[kh, kw, ci, co] = Σ_{n, oh, ow} xp[n, oh·sh + kh, ow·sw + kw, ci] · dy[n, oh, ow, co], where xp is
// x zero-padded so that every tap is inside. One call of the generated function sums one (kh, ci)
// for all KW taps and a few groups of 4 output channels, held in v128 accumulators; the channel
// vector of dy is loaded once per position and each x value is splatted once per tap.
//
// The batch is summed in blocks of images small enough to stay in a core's cache while every
// (kh, ci) pass reads them: a pass over the whole batch streamed x and dy (9 MB in ResNet-20's
// first stage at batch 64) from L3 for every one of its 48–768 passes, 1.7–3× slower. Each block's
// dw is written to a scratch tensor and the blocks are added in float64, so a float32 sum runs
// over one block's positions, not N·OH·OW. (Adding a block's sums to dw inside the generated
// function instead made the same loop ~20 % slower in V8, measured on LeNet's shapes.)
import { cachedKernel, type WasmMemory } from './wasmApi.js';
import { FunctionBody, I32, V128, moduleBytes } from './wasmEmitter.js';

/** Accumulators per generated function: x64 has 16 vector registers, a few go to dy and x. */
const MAX_ACCUMULATORS = 12;

/** Compile-time constants of one generated function. */
interface FilterGradShape {
  /** rows of accumulators: the filter's width, or in a 1×1 conv a few input channels */
  readonly kw: number;
  /** input channels (x floats per position) */
  readonly c: number;
  /** output channels (stride between dy positions) */
  readonly co: number;
  /** the conv's horizontal stride (x positions between two output columns) */
  readonly sw: number;
  /** bytes from one row's x value to the next row's: the next tap (C·4) or channel (4) */
  readonly rowStep: number;
  /** bytes from one row's sums in dw to the next row's: C·CO·4 (taps) or CO·4 (channels) */
  readonly outStep: number;
  /** first channel of each group of 4 output channels this function sums */
  readonly groups: readonly number[];
}

/** The run function: (xBase, dyBase, outBase, N, OH, OW, xRowStepBytes, xImageBytes) → void. */
type FilterGradFn = (...args: number[]) => void;

const PARAMS = 8;

function generate(shape: FilterGradShape): Uint8Array {
  const { kw: KW, c: C, co: CO, sw: SW, rowStep, outStep, groups } = shape;
  const f = new FunctionBody(PARAMS);
  const [xBase, dyBase, outBase, N, OH, OW, xRowStep, xImageBytes] = [0, 1, 2, 3, 4, 5, 6, 7];
  const n = f.local(I32);
  const oh = f.local(I32);
  const ow = f.local(I32);
  const xn = f.local(I32);
  const xr = f.local(I32);
  const xq = f.local(I32);
  const dyp = f.local(I32);
  const xs = f.local(V128);
  const d = groups.map(() => f.local(V128));
  const acc = Array.from({ length: KW }, () => groups.map(() => f.local(V128)));
  for (const row of acc) for (const a of row) f.v128Zero().set(a);

  f.get(xBase).set(xn).get(dyBase).set(dyp).i32(0).set(n);
  f.doWhile(n, { local: N }, () => {
    f.get(xn).set(xr).i32(0).set(oh);
    f.doWhile(oh, { local: OH }, () => {
      f.get(xr).set(xq).i32(0).set(ow);
      f.doWhile(ow, { local: OW }, () => {
        groups.forEach((co0, g) =>
          f
            .get(dyp)
            .v128Load(co0 * 4)
            .set(d[g]!),
        );
        for (let k = 0; k < KW; k++) {
          f.get(xq)
            .load32Splat(k * rowStep)
            .set(xs);
          groups.forEach((_, g) => {
            const a = acc[k]![g]!;
            f.multiplyAdd(a, xs, d[g]!);
          });
        }
        f.increment(xq, SW * C * 4).increment(dyp, CO * 4);
      });
      f.increment(xr, { local: xRowStep });
    });
    f.increment(xn, { local: xImageBytes });
  });

  for (let k = 0; k < KW; k++) {
    groups.forEach((co0, g) => {
      f.get(outBase)
        .get(acc[k]![g]!)
        .v128Store(k * outStep + co0 * 4);
    });
  }
  return moduleBytes(PARAMS, f);
}

function filterGradFn(memory: WasmMemory, shape: FilterGradShape): FilterGradFn {
  const key = `filter-grad/${shape.kw}/${shape.c}/${shape.co}/${shape.sw}/${shape.rowStep}/${shape.outStep}/${shape.groups.join(',')}`;
  return cachedKernel<FilterGradFn>(memory, key, () => generate(shape));
}

/**
 * The first channel of each group of 4 output channels, in chunks of at most `perChunk` groups.
 * A last partial group overlaps the one before it (e.g. 6 channels: 0–3 and 2–5); both sum the
 * shared channels in the same order, so the overlap stores identical values twice.
 */
export function channelGroups(co: number, kw: number): number[][] {
  const perChunk = Math.max(1, Math.floor(MAX_ACCUMULATORS / kw));
  const starts = Array.from({ length: Math.ceil(co / 4) }, (_, t) => Math.min(4 * t, co - 4));
  const chunks: number[][] = [];
  for (let i = 0; i < starts.length; i += perChunk) chunks.push(starts.slice(i, i + perChunk));
  return chunks;
}

/** Whether the SIMD filter gradient handles this conv: no dilation, ≥ 4 out channels. */
export function simdFilterGradApplies(g: {
  dilationHeight: number;
  dilationWidth: number;
  outChannels: number;
  filterWidth: number;
}): boolean {
  return (
    g.dilationHeight === 1 &&
    g.dilationWidth === 1 &&
    g.outChannels >= 4 &&
    g.filterWidth <= MAX_ACCUMULATORS
  );
}

/** Byte addresses and sizes of one filter-gradient computation on the wasm heap. */
export interface FilterGradCall {
  readonly memory: WasmMemory;
  /**
   * x [N, xHeight, xWidth, C] with every tap of every output position inside, the first at
   * (0, 0): x itself where the conv has no top or left padding, else x zero-padded to
   * [N, (OH − 1)·SH + KH, (OW − 1)·SW + KW, C] (padToTaps)
   */
  readonly xp: number;
  readonly xHeight: number;
  readonly xWidth: number;
  /** dy [N, OH, OW, CO] */
  readonly dy: number;
  /** dw [KH, KW, C, CO] */
  readonly dw: number;
  /** KH·KW·C·CO floats of scratch: one block's dw (unused when the batch is one block) */
  readonly scratch: number;
  readonly batch: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly inChannels: number;
  readonly outChannels: number;
}

/**
 * Input channels per pass of a 1×1 conv's filter gradient: with one tap, each pass sums a few
 * adjacent channels (3 rows × 16 output channels in 12 accumulators, the taps' block shape) where
 * one channel a pass loaded 8 dy vectors for 8 products (6.8 GMAC/s at ResNet-20's 1×1 stride-2
 * shapes; docs/performance.md).
 */
const CHANNEL_ROWS = 3;

/**
 * Bytes of x and dy per block of images, within the L2 of one core (1–2 MB on current x64).
 * Measured (2 cores of an Intel Xeon with 2 MB L2 each): ResNet-20's stride-1 filter gradients at
 * batch 64 took the same time with 1 image or 1 MB per block (2–3× less than one block); 192 KB
 * blocks cost LeNet-5's, whose whole batch fits in cache, 5–15 %.
 */
export const BLOCK_BYTES = 1 << 20;

/** Images per block: as many as fit BLOCK_BYTES, at least one. */
export function imagesPerBlock(
  call: Pick<
    FilterGradCall,
    'batch' | 'xHeight' | 'xWidth' | 'outHeight' | 'outWidth' | 'inChannels' | 'outChannels'
  >,
): number {
  const perImage =
    (call.xHeight * call.xWidth * call.inChannels +
      call.outHeight * call.outWidth * call.outChannels) *
    4;
  return Math.max(1, Math.min(call.batch, Math.floor(BLOCK_BYTES / perImage)));
}

/** Fills dw (every element) from the padded input and dy. */
export function runFilterGradSimd(call: FilterGradCall): void {
  const { outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = call;
  const { inChannels: C, outChannels: CO, batch: N } = call;
  const rowBytes = call.xWidth * C * 4;
  const xImage = call.xHeight * rowBytes;
  const dyImage = OH * OW * CO * 4;
  const perBlock = imagesPerBlock(call);
  const size = KH * KW * C * CO;
  const sums = perBlock < N ? new Float64Array(size) : null;
  const target = sums === null ? call.dw : call.scratch;
  // A 1×1 conv's passes sum CHANNEL_ROWS adjacent channels, the others' the taps of a filter row.
  const byChannels = KH === 1 && KW === 1;
  const rows = byChannels ? Math.min(CHANNEL_ROWS, C) : KW;
  const kernel = (kw: number, groups: readonly number[]) =>
    filterGradFn(call.memory, {
      kw,
      c: C,
      co: CO,
      sw: call.strideWidth,
      rowStep: byChannels ? 4 : C * 4,
      outStep: byChannels ? CO * 4 : C * CO * 4,
      groups,
    });
  for (let n0 = 0; n0 < N; n0 += perBlock) {
    const images = Math.min(perBlock, N - n0);
    const pass = (fn: FilterGradFn, xOffset: number, outOffset: number) =>
      fn(
        call.xp + n0 * xImage + xOffset,
        call.dy + n0 * dyImage,
        target + outOffset,
        images,
        OH,
        OW,
        call.strideHeight * rowBytes,
        xImage,
      );
    for (const groups of channelGroups(CO, rows)) {
      if (byChannels) {
        for (let ci = 0; ci < C; ci += rows) {
          pass(kernel(Math.min(rows, C - ci), groups), ci * 4, ci * CO * 4);
        }
        continue;
      }
      const fn = kernel(KW, groups);
      for (let kh = 0; kh < KH; kh++) {
        for (let ci = 0; ci < C; ci++) {
          pass(fn, kh * rowBytes + ci * 4, (kh * KW * C + ci) * CO * 4);
        }
      }
    }
    if (sums !== null) {
      const block = new Float32Array(call.memory.buffer, call.scratch, size);
      for (let j = 0; j < size; j++) sums[j]! += block[j]!;
    }
  }
  if (sums !== null) new Float32Array(call.memory.buffer, call.dw, size).set(sums);
}
