// Shape arithmetic evaluated while importing. PyTorch writes `x.view(x.size(0), -1)` as
// Shape → Gather → Unsqueeze → Concat → Reshape; with the static input shape every step but the
// Reshape has known values, so they fold away and the Reshape sees a constant target. Only the
// small integer and float arithmetic such chains use is evaluated; the batch size stays NaN.
import { Refusal } from './GraphBuilder.js';
import { elementCount, intTensor, reshaped, valuesOf, type ConstTensor } from './constTensor.js';
import type { NodeAttributes } from './nodeAttributes.js';

export interface FoldArgs {
  /** The node's inputs in order; undefined for an optional input left out. */
  readonly inputs: readonly (ConstTensor | undefined)[];
  readonly attrs: NodeAttributes;
  readonly opset: number;
}

/** Evaluates one node whose inputs are all known; returns its outputs. */
export type Folder = (args: FoldArgs) => readonly ConstTensor[];

function input(args: FoldArgs, i: number): ConstTensor {
  const t = args.inputs[i];
  if (t === undefined) throw new Refusal(`its input ${i} is missing`);
  return t;
}

/** Axis lists arrive as an attribute before opset 13 and as a second input from 13 on. */
function axesOf(args: FoldArgs, rank: number): number[] | undefined {
  const given =
    args.inputs[1] !== undefined ? valuesOf(input(args, 1)) : args.attrs.ints('axes', []);
  if (given.length === 0) return undefined;
  return given.map((a) => (a < 0 ? a + rank : a));
}

const vectorOnly = (t: ConstTensor, op: string): void => {
  if (t.dims.length > 1) throw new Refusal(`${op} of a ${t.dims.length}-D constant is not folded`);
};

/** Elementwise arithmetic with a scalar broadcast to a vector. */
function arithmetic(f: (a: number, b: number) => number): Folder {
  return (args) => {
    const a = input(args, 0);
    const b = input(args, 1);
    const big = a.data.length >= b.data.length ? a : b;
    if (a.data.length !== b.data.length && Math.min(a.data.length, b.data.length) !== 1) {
      throw new Refusal('broadcasting between two constant vectors is not folded');
    }
    const at = (t: ConstTensor, i: number) => t.data[t.data.length === 1 ? 0 : i] ?? 0;
    const values = Array.from(big.data, (_, i) => f(at(a, i), at(b, i)));
    const type = a.type === 'float' || b.type === 'float' ? 'float' : 'int';
    return [
      type === 'float'
        ? { dims: big.dims, type, data: Float32Array.from(values) }
        : intTensor(values.map(Math.trunc), big.dims),
    ];
  };
}

function constantNode({ attrs }: FoldArgs): ConstTensor[] {
  const tensor = attrs.tensor('value');
  if (tensor !== undefined) return [tensor];
  if (attrs.has('value_int')) return [intTensor([attrs.int('value_int', 0)], [])];
  if (attrs.has('value_ints')) return [intTensor(attrs.ints('value_ints', []))];
  if (attrs.has('value_float')) {
    return [{ dims: [], type: 'float', data: Float32Array.of(attrs.float('value_float', 0)) }];
  }
  const floats = attrs.floats('value_floats');
  if (floats !== undefined) {
    return [{ dims: [floats.length], type: 'float', data: Float32Array.from(floats) }];
  }
  throw new Refusal('a Constant of a kind other than a tensor or numbers');
}

const stridesOf = (dims: readonly number[]): number[] =>
  dims.map((_, i) => elementCount(dims.slice(i + 1)));

/** A tensor of `x`'s type holding `values`. */
function withValues(
  x: ConstTensor,
  values: readonly number[],
  dims: readonly number[],
): ConstTensor {
  return x.type === 'int'
    ? intTensor(values, dims)
    : { dims, type: 'float', data: Float32Array.from(values) };
}

/** The indices ONNX Slice takes along one axis of size n (starts/ends clamped, any step). */
function sliceIndices(n: number, start: number, end: number, step: number): number[] {
  if (step === 0) throw new Refusal('Slice with step 0');
  const resolve = (v: number) => (v < 0 ? v + n : v);
  const out: number[] = [];
  if (step > 0) {
    const from = Math.max(0, Math.min(n, resolve(start)));
    const to = Math.max(0, Math.min(n, resolve(end)));
    for (let i = from; i < to; i += step) out.push(i);
  } else {
    const from = Math.max(-1, Math.min(n - 1, resolve(start)));
    const to = Math.max(-1, Math.min(n - 1, resolve(end)));
    for (let i = from; i > to; i += step) out.push(i);
  }
  return out;
}

/** The sub-tensor of `x` at the given indices along every axis. */
function gatherIndices(x: ConstTensor, picks: readonly (readonly number[])[]): ConstTensor {
  const strides = stridesOf(x.dims);
  let offsets = [0];
  picks.forEach((indices, axis) => {
    offsets = offsets.flatMap((o) => indices.map((i) => o + i * (strides[axis] ?? 0)));
  });
  return withValues(
    x,
    offsets.map((o) => x.data[o] ?? 0),
    picks.map((p) => p.length),
  );
}

/** Resolves a Reshape target's 0 (copy) and −1 (infer) against the data's dims. */
export function reshapeTarget(
  dims: readonly number[],
  target: readonly number[],
  allowZero: boolean,
): number[] {
  const out = target.map((d, i) => (d === 0 && !allowZero ? (dims[i] ?? 0) : d));
  const known = out.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const inferred = out.indexOf(-1);
  if (inferred >= 0) out[inferred] = elementCount(dims) / known;
  return out;
}

/** The operators folded when all their inputs are known (Shape also on a layer's output). */
export const FOLDERS: Readonly<Record<string, Folder>> = {
  Constant: constantNode,
  Identity: (args) => [input(args, 0)],
  Cast: (args) => {
    const x = input(args, 0);
    const to = args.attrs.int('to', 1);
    const isFloat = to === 1 || to === 11 || to === 10;
    return [
      isFloat
        ? { dims: x.dims, type: 'float', data: Float32Array.from(x.data) }
        : intTensor(valuesOf(x).map(Math.trunc), x.dims),
    ];
  },
  Shape: (args) => {
    const dims = input(args, 0).dims;
    const start = args.attrs.int('start', 0);
    const end = args.attrs.int('end', dims.length);
    return [intTensor(dims.slice(start, end))];
  },
  Gather: (args) => {
    const data = input(args, 0);
    const indices = input(args, 1);
    vectorOnly(data, 'Gather');
    if (args.attrs.int('axis', 0) !== 0) throw new Refusal('Gather of a constant along axis ≠ 0');
    const n = data.data.length;
    const picked = valuesOf(indices).map((i) => data.data[i < 0 ? i + n : i] ?? Number.NaN);
    return [withValues(data, picked, indices.dims)];
  },
  Unsqueeze: (args) => {
    const x = input(args, 0);
    const rank = x.dims.length + (axesOf(args, 0)?.length ?? 0);
    const axes = axesOf(args, rank) ?? [];
    const dims = [...x.dims];
    for (const a of [...axes].sort((p, q) => p - q)) dims.splice(a, 0, 1);
    return [reshaped(x, dims)];
  },
  Squeeze: (args) => {
    const x = input(args, 0);
    const axes = axesOf(args, x.dims.length);
    return [
      reshaped(
        x,
        x.dims.filter((d, i) => (axes === undefined ? d !== 1 : !axes.includes(i))),
      ),
    ];
  },
  Concat: (args) => {
    const parts = args.inputs.map((_, i) => input(args, i));
    for (const p of parts) vectorOnly(p, 'Concat');
    const values = parts.flatMap(valuesOf);
    return [
      parts.every((p) => p.type === 'int')
        ? intTensor(values)
        : { dims: [values.length], type: 'float', data: Float32Array.from(values) },
    ];
  },
  Reshape: (args) => {
    const x = input(args, 0);
    const target = valuesOf(input(args, 1));
    return [reshaped(x, reshapeTarget(x.dims, target, args.attrs.int('allowzero', 0) === 1))];
  },
  Slice: (args) => {
    const x = input(args, 0);
    const rank = x.dims.length;
    const starts = valuesOf(input(args, 1));
    const ends = valuesOf(input(args, 2));
    const axes = args.inputs[3] ? valuesOf(input(args, 3)) : starts.map((_, i) => i);
    const steps = args.inputs[4] ? valuesOf(input(args, 4)) : starts.map(() => 1);
    const picks = x.dims.map((n) => Array.from({ length: n }, (_, i) => i));
    axes.forEach((a, k) => {
      const axis = a < 0 ? a + rank : a;
      picks[axis] = sliceIndices(x.dims[axis] ?? 0, starts[k] ?? 0, ends[k] ?? 0, steps[k] ?? 1);
    });
    return [gatherIndices(x, picks)];
  },
  Transpose: (args) => {
    const x = input(args, 0);
    const rank = x.dims.length;
    const perm = args.attrs.ints(
      'perm',
      x.dims.map((_, i) => rank - 1 - i),
    );
    const strides = stridesOf(x.dims);
    const dims = perm.map((p) => x.dims[p] ?? 1);
    const out = Array.from({ length: x.data.length }, (_, flat) => {
      let rest = flat;
      let from = 0;
      for (let i = rank - 1; i >= 0; i--) {
        const d = dims[i] ?? 1;
        from += (rest % d) * (strides[perm[i] ?? 0] ?? 0);
        rest = Math.floor(rest / d);
      }
      return x.data[from] ?? 0;
    });
    return [withValues(x, out, dims)];
  },
  ConstantOfShape: (args) => {
    const dims = valuesOf(input(args, 0));
    const value = args.attrs.tensor('value');
    const v = value?.data[0] ?? 0;
    const count = elementCount(dims);
    return [
      value?.type === 'int'
        ? intTensor(Array(count).fill(v), dims)
        : { dims, type: 'float', data: new Float32Array(count).fill(v) },
    ];
  },
  Add: arithmetic((a, b) => a + b),
  Sub: arithmetic((a, b) => a - b),
  Mul: arithmetic((a, b) => a * b),
  Div: arithmetic((a, b) => a / b),
};
