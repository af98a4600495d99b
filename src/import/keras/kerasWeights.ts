import type { ConstTensor } from '../onnx/constTensor.js';
import { elementCount } from '../onnx/constTensor.js';
import { ModelFormatError, UnsupportedModelError } from '../onnx/importErrors.js';
import type { ManifestGroup } from './kerasModelJson.js';

/** The last part of a manifest path (`./group1-shard1of1.bin` → `group1-shard1of1.bin`). */
export const fileName = (path: string): string => path.split(/[\\/]/).at(-1) ?? path;

/**
 * The weights of a weights manifest, by name (`conv1/kernel`), read from its .bin files: each
 * group's files are one byte stream, its tensors stored back to back (little-endian float32).
 * `files` holds the .bin files by name. A missing or short file is a ModelFormatError naming it.
 */
export function readManifestWeights(
  manifest: readonly ManifestGroup[],
  files: ReadonlyMap<string, Uint8Array>,
): Map<string, ConstTensor> {
  const weights = new Map<string, ConstTensor>();
  for (const group of manifest) {
    const parts = group.paths.map((path) => {
      const bytes = files.get(fileName(path));
      if (bytes === undefined) {
        throw new ModelFormatError(
          `its weightsManifest names "${path}", which is not there (keep the .bin files beside model.json)`,
        );
      }
      return bytes;
    });
    const total = parts.reduce((n, p) => n + p.length, 0);
    const stream = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
      stream.set(part, at);
      at += part.length;
    }
    const needed = group.weights.reduce((n, w) => n + 4 * elementCount(w.shape), 0);
    for (const w of group.weights) {
      if (w.quantization !== undefined || w.dtype !== 'float32') {
        throw new UnsupportedModelError(
          [],
          `its weight "${w.name}" is stored as ${w.quantization !== undefined ? 'quantized ' : ''}${w.dtype}; nnb import reads float32 weights`,
        );
      }
    }
    if (total < needed) {
      throw new ModelFormatError(
        `${group.paths.map(fileName).join(' + ')} holds ${total} bytes but its manifest lists ${needed}: the file is truncated`,
      );
    }
    const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
    let offset = 0;
    for (const w of group.weights) {
      const count = elementCount(w.shape);
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(offset + 4 * i, true);
      offset += 4 * count;
      weights.set(w.name, { dims: [...w.shape], type: 'float', data });
    }
  }
  return weights;
}

/** Permutes a row-major tensor's axes by `order` (numpy's transpose): out dim d is in dim order[d]. */
export function permuteAxes(t: ConstTensor, order: readonly number[]): ConstTensor {
  const shape = t.dims;
  const dims = order.map((o) => shape[o] ?? 1);
  const strides = shape.map((_, i) => elementCount(shape.slice(i + 1)));
  const out = new Float32Array(t.data.length);
  const index = new Array<number>(dims.length).fill(0);
  for (let i = 0; i < out.length; i++) {
    let source = 0;
    for (let d = 0; d < dims.length; d++) source += (index[d] ?? 0) * (strides[order[d] ?? 0] ?? 0);
    out[i] = t.data[source] ?? 0;
    for (let d = dims.length - 1; d >= 0; d--) {
      index[d] = (index[d] ?? 0) + 1;
      if ((index[d] ?? 0) < (dims[d] ?? 1)) break;
      index[d] = 0;
    }
  }
  return { dims, type: 'float', data: out };
}
