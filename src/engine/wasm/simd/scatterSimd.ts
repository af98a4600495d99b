// A WASM SIMD strided copy: `count` runs of C floats, contiguous in the source, written `step`
// bytes apart in the destination — one output row of a stride phase placed into the input
// gradient (stridedInputGrad.ts). C ≥ 4: each run is copied as vectors, the last one moved back
// to end at C (overlapping the one before: the same values written twice).
import { cachedKernel, type WasmMemory } from './wasmApi.js';
import { FunctionBody, I32, V128, moduleBytes } from './wasmEmitter.js';

/** (src, dst, count): copies count runs of C floats; dst advances by the compiled step. */
type ScatterFn = (src: number, dst: number, count: number) => void;

function generate(channels: number, stepBytes: number): Uint8Array {
  const f = new FunctionBody(3);
  const [src, dst, count] = [0, 1, 2];
  const i = f.local(I32);
  const v = f.local(V128);
  const offsets = Array.from({ length: Math.ceil(channels / 4) }, (_, k) =>
    Math.min(4 * k, channels - 4),
  );
  f.i32(0).set(i);
  f.doWhile(i, { local: count }, () => {
    for (const o of offsets) {
      f.get(src)
        .v128Load(o * 4)
        .set(v)
        .get(dst)
        .get(v)
        .v128Store(o * 4);
    }
    f.increment(src, channels * 4).increment(dst, stepBytes);
  });
  return moduleBytes(3, f);
}

/** The copy for runs of `channels` (≥ 4) floats written `stepBytes` apart. */
export function scatterFn(memory: WasmMemory, channels: number, stepBytes: number): ScatterFn {
  const fn = cachedKernel<ScatterFn>(memory, `scatter/${channels}/${stepBytes}`, () =>
    generate(channels, stepBytes),
  );
  return fn;
}
