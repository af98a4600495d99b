import { ProtoWriter } from './ProtoWriter.js';

/** The subset of ONNX's IR that NN Builder writes (field numbers from onnx/onnx.proto). */
export type AttributeValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] };

export interface OnnxNode {
  readonly opType: string;
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

export interface OnnxTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: 'float' | 'int64';
  readonly data: Float32Array | BigInt64Array;
}

export interface OnnxValueInfo {
  readonly name: string;
  /** `'batch'`-style names are symbolic (dynamic) dimensions. */
  readonly dims: readonly (number | string)[];
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensor[];
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export const OPSET = 17;
const IR_VERSION = 8; // the IR of opset 17 (ONNX 1.12)
const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_TYPES = { float: 1, int: 2, string: 3, ints: 7 } as const;

/** Encodes a ModelProto. */
export function encodeModel(
  graph: OnnxGraph,
  producerVersion: string,
  docString: string,
): Uint8Array {
  return new ProtoWriter()
    .varint(1, IR_VERSION)
    .string(2, 'NN Builder')
    .string(3, producerVersion)
    .string(6, docString)
    .message(7, (g) => encodeGraph(g, graph))
    .message(8, (o) => o.string(1, '').varint(2, OPSET))
    .finish();
}

function encodeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(1, (n) => encodeNode(n, node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers) w.message(5, (t) => encodeTensor(t, tensor));
  for (const input of graph.inputs) w.message(11, (v) => encodeValueInfo(v, input));
  for (const output of graph.outputs) w.message(12, (v) => encodeValueInfo(v, output));
}

function encodeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name).string(4, node.opType);
  for (const [name, attr] of Object.entries(node.attributes ?? {})) {
    w.message(5, (a) => {
      a.string(1, name).varint(20, ATTRIBUTE_TYPES[attr.kind]);
      if (attr.kind === 'int') a.varint(3, attr.value);
      else if (attr.kind === 'float') a.float(2, attr.value);
      else if (attr.kind === 'string') a.string(4, attr.value);
      else for (const v of attr.value) a.varint(8, v);
    });
  }
}

function encodeTensor(w: ProtoWriter, tensor: OnnxTensor): void {
  for (const d of tensor.dims) w.varint(1, d);
  w.varint(2, tensor.dataType === 'float' ? FLOAT : INT64);
  w.string(8, tensor.name);
  // raw_data is little-endian, which typed arrays are on every platform Node runs on.
  w.bytes(9, new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
}

function encodeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  w.string(1, info.name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.varint(1, FLOAT).message(2, (shape) => {
        for (const d of info.dims)
          shape.message(1, (dim) => (typeof d === 'number' ? dim.varint(1, d) : dim.string(2, d)));
      }),
    ),
  );
}
