// PadV2 for the WASM backend: the built-in copies element by element, which costs 1 ms to pad
// LeNet's 64×28×28×1 input by 2 (the engine pads explicitly before a 'valid' conv). Here the
// output is filled with the constant and each contiguous run of the input copied with one set().
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, runWasmKernel } from './wasmKernelContext.js';

interface PadV2Attrs {
  paddings: [number, number][];
  constantValue: number;
}

/** The kernel function registered as PadV2 for 'wasm'. */
export function padV2(args: {
  inputs: { x: tf.TensorInfo };
  attrs: PadV2Attrs;
  backend: BackendWasm;
}): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const { x } = inputs;
  if (x.dtype !== 'float32' || x.shape.length === 0) {
    return runWasmKernel(backend, 'PadV2', inputs, attrs as unknown as Record<string, unknown>);
  }
  const rank = x.shape.length;
  const pads = attrs.paddings;
  const outShape = x.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const out = backend.makeOutput(outShape, 'float32');
  const src = heapView(backend, x);
  const dst = heapView(backend, out);
  dst.fill(attrs.constantValue);
  if (src.length === 0) return out;

  // Strides of the output, and the offset of the input's origin inside it.
  const outStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) outStrides[i] = outStrides[i + 1]! * outShape[i + 1]!;
  let origin = 0;
  for (let i = 0; i < rank; i++) origin += pads[i]![0] * outStrides[i]!;
  // Trailing axes without padding are contiguous in both tensors: copy them as one row.
  let inner = rank - 1;
  while (inner > 0 && pads[inner]![0] === 0 && pads[inner]![1] === 0) inner--;
  const rowLength = x.shape.slice(inner).reduce((a, b) => a * b, 1);
  const rows = src.length / rowLength;
  const index = new Array<number>(inner).fill(0);
  for (let r = 0; r < rows; r++) {
    let at = origin;
    for (let i = 0; i < inner; i++) at += index[i]! * outStrides[i]!;
    dst.set(src.subarray(r * rowLength, (r + 1) * rowLength), at);
    // Next row index, odometer-style over the outer axes.
    for (let i = inner - 1; i >= 0; i--) {
      if (++index[i]! < x.shape[i]!) break;
      index[i] = 0;
    }
  }
  return out;
}
