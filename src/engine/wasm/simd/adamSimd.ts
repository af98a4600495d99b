// Adam / AdamW over flat float32 arrays as a generated WASM SIMD function: two parameters per
// step in f64x2 lanes, with the arithmetic of FlatAdam's JavaScript loop operation for operation
// (IEEE double, one rounding to float32 per stored value), so both give the same bits. The
// data-parallel variant also forms the gradient as the size-weighted mean of two halves' — the
// value DataParallelTrainer's weightedMean stores (rounded to float32), without a separate pass.
import { FunctionBody, I32, V128, moduleBytes } from './wasmEmitter.js';

/** Byte offsets of the f64 constants a step reads (written by the caller before each call). */
export const ADAM_CONSTANTS = {
  beta1: 0,
  oneMinusBeta1: 8,
  beta2: 16,
  oneMinusBeta2: 24,
  stepSize: 32,
  rootBc2: 40,
  epsilon: 48,
  decoupled: 56,
  coupled: 64,
  weightA: 72,
  weightB: 80,
} as const;

/** Bytes of the constants block. */
export const ADAM_CONSTANTS_BYTES = 88;

/**
 * run(p, m, v, ga, gb, constants, pairs): updates p, m and v (float32, 2·pairs values each) in
 * place from the gradient ga — or, with `mean`, from f32(wA·ga + wB·gb).
 */
export function generateAdam(mean: boolean): Uint8Array {
  const f = new FunctionBody(7);
  const [p, m, v, ga, gb, k, pairs] = [0, 1, 2, 3, 4, 5, 6];
  const i = f.local(I32);
  const c = Object.fromEntries(
    Object.keys(ADAM_CONSTANTS).map((name) => [name, f.local(V128)]),
  ) as Record<keyof typeof ADAM_CONSTANTS, number>;
  const [param, grad, mi, vi] = [f.local(V128), f.local(V128), f.local(V128), f.local(V128)];
  for (const [name, offset] of Object.entries(ADAM_CONSTANTS)) {
    f.get(k)
      .load64Splat(offset)
      .set(c[name as keyof typeof ADAM_CONSTANTS]);
  }
  /** two float32 at `pointer` as f64x2 */
  const load = (pointer: number): FunctionBody => f.get(pointer).load64Zero(0).f64x2PromoteLow();
  /** the f64x2 in `local` rounded to float32, at `pointer` */
  const store = (pointer: number, local: number): void => {
    f.get(pointer).get(local).f32x4DemoteZero().store64Low(0);
  };
  f.i32(0).set(i);
  f.doWhile(i, { local: pairs }, () => {
    load(p).set(param);
    // g = grads[i] + coupled · params[i]
    if (mean) {
      load(ga).get(c.weightA).f64x2Mul();
      load(gb).get(c.weightB).f64x2Mul();
      f.f64x2Add().f32x4DemoteZero().f64x2PromoteLow();
    } else {
      load(ga);
    }
    f.get(c.coupled).get(param).f64x2Mul().f64x2Add().set(grad);
    // m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g·g
    f.get(c.beta1);
    load(m).f64x2Mul();
    f.get(c.oneMinusBeta1).get(grad).f64x2Mul().f64x2Add().set(mi);
    f.get(c.beta2);
    load(v).f64x2Mul();
    f.get(c.oneMinusBeta2).get(grad).f64x2Mul().get(grad).f64x2Mul().f64x2Add().set(vi);
    store(m, mi);
    store(v, vi);
    // p = p·decoupled − (stepSize·m) / (√v / √(1 − β2ᵗ) + ε)
    f.get(param).get(c.decoupled).f64x2Mul();
    f.get(c.stepSize).get(mi).f64x2Mul();
    f.get(vi).f64x2Sqrt().get(c.rootBc2).f64x2Div().get(c.epsilon).f64x2Add();
    f.f64x2Div().f64x2Sub().set(param);
    store(p, param);
    for (const pointer of mean ? [p, m, v, ga, gb] : [p, m, v, ga]) f.increment(pointer, 8);
  });
  return moduleBytes(7, f);
}
