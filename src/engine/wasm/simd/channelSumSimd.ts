// A WASM SIMD sum over every axis but the last (every bias gradient: dy [N, H, W, C] → [C]),
// generated per channel count by wasmEmitter and run on the tfjs wasm heap. tfjs-wasm's Sum
// transposes the reduced axes innermost first, a full extra pass over the map.
//
// The flat data repeats its channel pattern every lcm(4, C) floats; that many floats (`period`
// vectors) are summed lane-wise over the whole tensor, and the lanes are folded to channels at
// the end. The floats after the last whole period are added in JS.
import { instantiate, type WasmMemory } from './wasmApi.js';
import { FunctionBody, V128, I32, moduleBytes } from './wasmEmitter.js';

/** Vectors in one channel period: lcm(4, C) / 4. */
export function periodVectors(channels: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  return channels / gcd(channels, 4);
}

/** Accumulators held at once (x64 has 16 vector registers). */
const MAX_PERIOD = 12;

/** Whether the SIMD sum handles `channels` (its period must fit the registers). */
export function simdChannelSumApplies(channels: number): boolean {
  return channels >= 1 && periodVectors(channels) <= MAX_PERIOD;
}

type ChannelSumFn = (x: number, periods: number, out: number) => void;

function generate(period: number): Uint8Array {
  const f = new FunctionBody(3);
  const [x, periods, out] = [0, 1, 2];
  const i = f.local(I32);
  const p = f.local(I32);
  const acc = Array.from({ length: period }, () => f.local(V128));
  for (const a of acc) f.v128Zero().set(a);
  f.get(x).set(p).i32(0).set(i);
  f.doWhile(i, { local: periods }, () => {
    acc.forEach((a, v) =>
      f
        .get(a)
        .get(p)
        .v128Load(16 * v)
        .f32x4Add()
        .set(a),
    );
    f.increment(p, 16 * period);
  });
  acc.forEach((a, v) =>
    f
      .get(out)
      .get(a)
      .v128Store(16 * v),
  );
  return moduleBytes(3, f);
}

const compiled = new WeakMap<WasmMemory, Map<number, ChannelSumFn>>();

/**
 * Lane sums of x (byte address) over `periods` whole periods into `out` (byte address of
 * 4 · period floats). Needs periods ≥ 1.
 */
export function runChannelSumSimd(
  memory: WasmMemory,
  period: number,
  x: number,
  periods: number,
  out: number,
): void {
  let byPeriod = compiled.get(memory);
  if (byPeriod === undefined) {
    byPeriod = new Map();
    compiled.set(memory, byPeriod);
  }
  let fn = byPeriod.get(period);
  if (fn === undefined) {
    fn = instantiate(generate(period), { env: { memory } }).run as ChannelSumFn;
    byPeriod.set(period, fn);
  }
  fn(x, periods, out);
}
