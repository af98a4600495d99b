// A WASM SIMD strided copy: a stride phase of a strided conv's input gradient (contiguous rows
// of `count` runs of C floats) placed into the input gradient (stridedInputGrad.ts), where each
// run lands `step` bytes after the one before, each row `rowStep` bytes after the row before and
// each image `imageStep` bytes after the image before — the whole phase in one call (one call per
// row cost ~1.5 ms of JavaScript-to-WASM calls a ResNet-20 step; docs/performance.md). C ≥ 4:
// each run is copied as vectors, the last one moved back to end at C (overlapping the one before:
// the same values written twice).
import { cachedKernel, type WasmMemory } from './wasmApi.js';
import { FunctionBody, I32, V128, moduleBytes } from './wasmEmitter.js';

/**
 * (src, dst, count, rows, rowStep, images, imageStep): copies images × rows × count runs of C
 * floats read one after another from src; the runs of a row go `step` bytes apart from the row's
 * start, rows `rowStep` bytes apart from the image's start, images `imageStep` apart from dst.
 */
type ScatterFn = (
  src: number,
  dst: number,
  count: number,
  rows: number,
  rowStep: number,
  images: number,
  imageStep: number,
) => void;

const PARAMS = 7;

function generate(channels: number, stepBytes: number): Uint8Array {
  const f = new FunctionBody(PARAMS);
  const [src, dst, count, rows, rowStep, images, imageStep] = [0, 1, 2, 3, 4, 5, 6];
  const [n, t, i] = [f.local(I32), f.local(I32), f.local(I32)];
  const [row, run] = [f.local(I32), f.local(I32)];
  const v = f.local(V128);
  const offsets = Array.from({ length: Math.ceil(channels / 4) }, (_, k) =>
    Math.min(4 * k, channels - 4),
  );
  f.i32(0).set(n);
  f.doWhile(n, { local: images }, () => {
    f.get(dst).set(row).i32(0).set(t);
    f.doWhile(t, { local: rows }, () => {
      f.get(row).set(run).i32(0).set(i);
      f.doWhile(i, { local: count }, () => {
        for (const o of offsets) {
          f.get(src)
            .v128Load(o * 4)
            .set(v)
            .get(run)
            .get(v)
            .v128Store(o * 4);
        }
        f.increment(src, channels * 4).increment(run, stepBytes);
      });
      f.increment(row, { local: rowStep });
    });
    f.increment(dst, { local: imageStep });
  });
  return moduleBytes(PARAMS, f);
}

/** The copy for runs of `channels` (≥ 4) floats written `stepBytes` apart. */
export function scatterFn(memory: WasmMemory, channels: number, stepBytes: number): ScatterFn {
  return cachedKernel<ScatterFn>(memory, `scatter-phase/${channels}/${stepBytes}`, () =>
    generate(channels, stepBytes),
  );
}
