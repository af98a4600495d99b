// A tiny WebAssembly binary emitter: just what the project's hand-written SIMD kernels need
// (i32 arithmetic, loops, f32x4 loads/stores/mul/add, one imported memory). Kernels are generated
// at run time, specialized to their shape constants, so nothing is compiled at build time.
import { validates } from './wasmApi.js';

/** f32x4.relaxed_madd (a · b + c, fused where the hardware has FMA): prefix and opcode. */
const RELAXED_MADD = [0xfd, ...uleb(0x105)];

/** Value types. */
export const I32 = 0x7f;
export const V128 = 0x7b;

/** unsigned LEB128 */
function uleb(value: number): number[] {
  const out: number[] = [];
  pushUleb(out, value);
  return out;
}

/** A name's length and bytes (the module's names are ASCII). */
function utf8(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

/**
 * Appends the unsigned LEB128 of `value` to `out`: no array per instruction (a run's first step
 * generates ~100 kernels).
 */
function pushUleb(out: number[], value: number): void {
  let v = value >>> 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>>= 7;
    if (v === 0) {
      out.push(byte);
      return;
    }
    out.push(byte | 0x80);
  }
}

/** Appends the signed LEB128 of a 32-bit integer to `out`. */
function pushSleb(out: number[], value: number): void {
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return;
  }
}

/** Scratch for a constant's bytes. */
const constBytes = new DataView(new ArrayBuffer(8));

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** The body of one function, written instruction by instruction. */
export class FunctionBody {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];

  constructor(private readonly paramCount: number) {}

  /** Declares a local of `type` and returns its index. */
  local(type: number): number {
    this.localTypes.push(type);
    return this.paramCount + this.localTypes.length - 1;
  }

  get(index: number): this {
    return this.withUleb(0x20, index);
  }
  set(index: number): this {
    return this.withUleb(0x21, index);
  }
  /** local.tee: sets the local and keeps the value on the stack */
  tee(index: number): this {
    return this.withUleb(0x22, index);
  }
  i32(value: number): this {
    this.code.push(0x41);
    pushSleb(this.code, value);
    return this;
  }
  add(): this {
    return this.op(0x6a);
  }
  mul(): this {
    return this.op(0x6c);
  }
  ltU(): this {
    return this.op(0x49);
  }
  /** if (condition on stack) { … } — close with `end` */
  ifStart(): this {
    return this.op(0x04, 0x40);
  }
  /** closes an `ifStart` */
  end(): this {
    return this.op(0x0b);
  }
  /** f32.load at address-on-stack + offset */
  f32Load(offset: number): this {
    return this.op(0x2a, 2, ...uleb(offset));
  }
  /** f32.store (address, value on stack) */
  f32Store(offset: number): this {
    return this.op(0x38, 2, ...uleb(offset));
  }
  f32Add(): this {
    return this.op(0x92);
  }
  ltS(): this {
    return this.op(0x48);
  }
  /** (a, b, condition) → condition ? a : b */
  select(): this {
    return this.op(0x1b);
  }
  /** local[index] += step */
  increment(index: number, step: number | { local: number }): this {
    this.get(index);
    if (typeof step === 'number') this.i32(step);
    else this.get(step.local);
    return this.add().set(index);
  }
  /** do { body } while (++counter < limit) — the caller guarantees limit > counter on entry. */
  doWhile(counter: number, limit: number | { local: number }, body: () => void): this {
    this.op(0x03, 0x40); // loop (no result)
    body();
    this.increment(counter, 1).get(counter);
    if (typeof limit === 'number') this.i32(limit);
    else this.get(limit.local);
    this.ltU().op(0x0d, 0x00); // br_if 0: back to the loop's start
    return this.op(0x0b);
  }
  /**
   * out = min(index · size, limit − size): the start of block `index` of `size` elements, the
   * last block moved back to end at `limit` (overlapping the one before).
   */
  blockStart(index: number, size: number, limit: number, out: number): this {
    this.get(index)
      .i32(size)
      .mul()
      .i32(limit - size);
    this.get(index)
      .i32(size)
      .mul()
      .i32(limit - size)
      .ltS();
    return this.select().set(out);
  }
  /** memory.copy (destination, source, bytes on the stack): bulk memory, one call per run */
  memoryCopy(): this {
    return this.op(0xfc, ...uleb(10), 0x00, 0x00);
  }
  /** memory.fill (destination, byte value, bytes on the stack) */
  memoryFill(): this {
    return this.op(0xfc, ...uleb(11), 0x00);
  }
  /** v128.load at address-on-stack + offset */
  v128Load(offset: number): this {
    return this.simd(0x00, offset);
  }
  /** v128.load32_splat: one f32 broadcast to 4 lanes */
  load32Splat(offset: number): this {
    return this.simd(0x09, offset);
  }
  /** v128.store (address, value on stack) */
  v128Store(offset: number): this {
    return this.simd(0x0b, offset);
  }
  v128Zero(): this {
    return this.op(0xfd, ...uleb(0x0c), ...new Array<number>(16).fill(0));
  }
  /** v128.const with the same f32 in all 4 lanes */
  f32x4Const(value: number): this {
    constBytes.setFloat32(0, value, true);
    return this.constLanes(4, 4);
  }
  f64x2Const(value: number): this {
    constBytes.setFloat64(0, value, true);
    return this.constLanes(8, 2);
  }
  /** lanes a == b → all ones */
  f32x4Eq(): this {
    return this.simdOp(0x41);
  }
  /** lanes a > b → all ones (false for NaN) */
  f32x4Gt(): this {
    return this.simdOp(0x44);
  }
  /** a < b ? b : a per lane — `if (v > best) best = v` with a = best, b = v (NaN never taken) */
  f32x4Pmax(): this {
    return this.simdOp(0xeb);
  }
  v128Not(): this {
    return this.simdOp(0x4d);
  }
  v128And(): this {
    return this.simdOp(0x4e);
  }
  /** a & ~b */
  v128AndNot(): this {
    return this.simdOp(0x4f);
  }
  v128Or(): this {
    return this.simdOp(0x50);
  }
  f32x4Neg(): this {
    return this.simdOp(0xe1);
  }
  f32x4Add(): this {
    return this.simdOp(0xe4);
  }
  f32x4Sub(): this {
    return this.simdOp(0xe5);
  }
  f32x4Mul(): this {
    return this.simdOp(0xe6);
  }
  /**
   * acc += a · b on f32x4 locals: one fused `f32x4.relaxed_madd` where the engine has WebAssembly
   * relaxed SIMD (Node ≥ 22, Electron: on by default; Node 20 only behind
   * --experimental-wasm-relaxed-simd), else a multiply and an add.
   */
  multiplyAdd(acc: number, a: number, b: number): this {
    if (relaxedSimdAvailable())
      return this.get(a)
        .get(b)
        .get(acc)
        .op(...RELAXED_MADD)
        .set(acc);
    return this.get(acc).get(a).get(b).f32x4Mul().f32x4Add().set(acc);
  }
  /** v128.load64_splat: one f64 broadcast to 2 lanes */
  load64Splat(offset: number): this {
    return this.simd(0x0a, offset);
  }
  /** v128.load64_zero: 2 f32 into the low half, the high half zero */
  load64Zero(offset: number): this {
    return this.simd(0x5d, offset);
  }
  /** v128.store64_lane 0: the low 2 f32 (address, value on stack) */
  store64Low(offset: number): this {
    return this.simd(0x5b, offset).op(0);
  }
  /** i8x16.shuffle of the two vectors on the stack: result byte i = byte lanes[i] of (a ‖ b) */
  i8x16Shuffle(lanes: readonly number[]): this {
    return this.op(0xfd, ...uleb(0x0d), ...lanes);
  }
  /** v128.store32_lane: one f32 lane (address, value on stack) */
  store32Lane(offset: number, lane: number): this {
    return this.simd(0x5a, offset).op(lane);
  }
  /** f64x2.promote_low_f32x4: the low 2 f32 lanes as f64 */
  f64x2PromoteLow(): this {
    return this.simdOp(0x5f);
  }
  /** f32x4.demote_f64x2_zero: 2 f64 rounded to f32 in the low lanes, the high lanes zero */
  f32x4DemoteZero(): this {
    return this.simdOp(0x5e);
  }
  f64x2Sqrt(): this {
    return this.simdOp(0xef);
  }
  f64x2Add(): this {
    return this.simdOp(0xf0);
  }
  f64x2Sub(): this {
    return this.simdOp(0xf1);
  }
  f64x2Mul(): this {
    return this.simdOp(0xf2);
  }
  f64x2Div(): this {
    return this.simdOp(0xf3);
  }

  /** The encoded body: its size, the locals, then the code, then `end`. */
  encode(): Uint8Array {
    const locals = vector(this.localTypes.map((t) => [1, t]));
    return concatBytes([uleb(locals.length + this.code.length + 1), locals, this.code, [0x0b]]);
  }

  /** A SIMD memory instruction. Alignment is only a hint: 0 (byte) is valid at any address. */
  private simd(opcode: number, offset: number): this {
    this.simdOp(opcode).code.push(0);
    pushUleb(this.code, offset);
    return this;
  }

  /** A SIMD instruction without immediates. */
  private simdOp(opcode: number): this {
    this.code.push(0xfd);
    pushUleb(this.code, opcode);
    return this;
  }

  /** An instruction whose one immediate is an unsigned LEB128. */
  private withUleb(opcode: number, value: number): this {
    this.code.push(opcode);
    pushUleb(this.code, value);
    return this;
  }

  /** v128.const of the `size` bytes in constBytes repeated `lanes` times. */
  private constLanes(size: number, lanes: number): this {
    this.simdOp(0x0c);
    for (let lane = 0; lane < lanes; lane++)
      for (let i = 0; i < size; i++) this.code.push(constBytes.getUint8(i));
    return this;
  }

  private op(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
}

/**
 * A module importing one memory (`env.memory`) and exporting one function `run` that takes
 * `paramCount` i32 parameters and returns nothing.
 */
export function moduleBytes(paramCount: number, body: FunctionBody): Uint8Array {
  const funcType = [0x60, ...uleb(paramCount), ...new Array<number>(paramCount).fill(I32), 0];
  const memoryImport = [...utf8('env'), ...utf8('memory'), 0x02, 0x00, ...uleb(1)];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([funcType])),
    ...section(2, vector([memoryImport])),
    ...section(3, vector([uleb(0)])),
    ...section(7, vector([[...utf8('run'), 0x00, ...uleb(0)]])),
  ];
  // The code section — a vector of one body — assembled by copies, not spreads: a generated body
  // runs to tens of thousands of bytes, and spreading it five times took ~40 ms of the first step.
  const code = body.encode();
  return concatBytes([bytes, [10], uleb(code.length + 1), uleb(1), code]);
}

/** The parts one after another in one array. */
function concatBytes(parts: readonly ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

let relaxedSimd: boolean | undefined;

/** Whether this engine validates `f32x4.relaxed_madd` (checked once per thread). */
export function relaxedSimdAvailable(): boolean {
  if (relaxedSimd === undefined) {
    const f = new FunctionBody(0);
    f.v128Zero().v128Zero().v128Zero();
    f.code.push(...RELAXED_MADD, 0x1a); // relaxed_madd, drop
    relaxedSimd = validates(moduleBytes(0, f));
  }
  return relaxedSimd;
}

/** Forgets the check's answer (relaxedSimdNode.ts, after switching the engine's flag). */
export function resetRelaxedSimdCheck(): void {
  relaxedSimd = undefined;
}
