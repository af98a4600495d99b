// Runs the same computation on tfjs' CPU backend (the reference) and on the WASM backend with the
// project's kernels, from the same seeded inputs, and measures how far the results differ.
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../../../src/engine/wasm/index.js';

export type Backend = 'cpu' | 'wasm';

let ready: Promise<void> | undefined;

/** Registers our kernels and initializes both backends once per test file. */
export function initBackends(): Promise<void> {
  ready ??= (async () => {
    await registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    await tf.setBackend('cpu');
  })();
  return ready;
}

/** Deterministic values in [-1, 1) (mulberry32), so every failure is reproducible. */
export function seeded(size: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** Runs `fn` on `backend` and returns the values of every tensor it returns. */
export async function runOn(
  backend: Backend,
  fn: () => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const result = tf.tidy(fn);
  const list = Array.isArray(result) ? result : [result];
  const values = await Promise.all(list.map(async (t) => new Float32Array(await t.data())));
  tf.dispose(list);
  return values;
}

/** Largest |a − b| divided by max(1, largest |b|): an absolute error for values of order 1. */
export function scaledMaxError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let err = 0;
  let scale = 1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    err = Number.isNaN(d) ? Infinity : Math.max(err, d);
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return err / scale;
}

/** The filter with (d−1) zero rows/columns between taps: a plain conv with it = the dilated conv. */
export function zeroInserted(w: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  const [KH, KW, C, CO] = w.shape;
  const values = w.arraySync();
  const out = tf.buffer([(KH - 1) * dh + 1, (KW - 1) * dw + 1, C, CO]);
  for (let kh = 0; kh < KH; kh++)
    for (let kw = 0; kw < KW; kw++)
      for (let c = 0; c < C; c++)
        for (let o = 0; o < CO; o++) out.set(values[kh]![kw]![c]![o]!, kh * dh, kw * dw, c, o);
  return out.toTensor() as tf.Tensor4D;
}

/** A stride/dilation attribute as [height, width]. */
export function pair(v: number | [number, number] | undefined): [number, number] {
  return typeof v === 'number' || v === undefined ? [v ?? 1, v ?? 1] : v;
}
