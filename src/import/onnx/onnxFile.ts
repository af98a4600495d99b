// An ONNX model file as plain values: decoded with onnx-proto (ONNX's own onnx.proto compiled for
// protobufjs, the same schema the exporter writes with), then checked and converted once here, so
// the importer never sees protobuf messages, Long integers or raw little-endian bytes.
import onnxProto from 'onnx-proto';
import { OnnxFormatError } from './importErrors.js';
import type { ConstTensor } from './constTensor.js';

const { onnx } = onnxProto;
const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

export type Attribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'tensor'; readonly value: ConstTensor }
  /** Graphs, sparse tensors, types: nothing the importer reads. */
  | { readonly kind: 'other' };

export interface OnnxNode {
  readonly opType: string;
  /** '' for the default ONNX domain (also written `ai.onnx`). */
  readonly domain: string;
  readonly name: string;
  /** Tensor names; '' marks an optional input left out. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, Attribute>;
}

/** A graph input or output: its name and dims, a dim being a size, a symbol (`batch`) or unknown. */
export interface OnnxValueInfo {
  readonly name: string;
  readonly dims: readonly (number | string | null)[] | null;
}

export interface OnnxFile {
  /** The version of the default operator set the file imports. */
  readonly opset: number;
  readonly producer: string;
  readonly graphName: string;
  /** Nodes in the file's order, which ONNX requires to be topological. */
  readonly nodes: readonly OnnxNode[];
  readonly initializers: ReadonlyMap<string, ConstTensor>;
  /** Graph inputs that are not initializers: the model's inputs. */
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

type Int = number | { toNumber(): number } | null | undefined;

/** An int64 field as a number (protobufjs gives a Long object when the `long` package is around). */
function toInt(v: Int): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

const DATA_TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(DataType).map(([name, code]) => [code, name.toLowerCase()]),
);

/** Reads a ModelProto; throws OnnxFormatError naming what is wrong with a broken file. */
export function readOnnxFile(bytes: Uint8Array): OnnxFile {
  let model: onnxProto.onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    const message = (error as Error).message;
    const truncated = /index out of range/.test(message);
    throw new OnnxFormatError(
      truncated
        ? `the file ends in the middle of a record (${bytes.length} bytes): it is truncated, or not an ONNX model`
        : `it is not an ONNX model: its protobuf encoding is invalid (${message})`,
    );
  }
  const graph = model.graph;
  if (graph === null || graph === undefined || (graph.node?.length ?? 0) === 0) {
    throw new OnnxFormatError('it holds no graph with nodes: it is not an ONNX model');
  }
  const opsetEntry = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (opsetEntry === undefined) {
    throw new OnnxFormatError('it names no version of the ONNX operator set (opset_import)');
  }
  const initializers = new Map<string, ConstTensor>();
  for (const t of graph.initializer ?? [])
    initializers.set(t.name ?? '', readTensor(t, `initializer "${t.name ?? ''}"`));
  return {
    opset: toInt(opsetEntry.version),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    graphName: graph.name ?? '',
    nodes: (graph.node ?? []).map(readNode),
    initializers,
    inputs: (graph.input ?? []).filter((i) => !initializers.has(i.name ?? '')).map(readValueInfo),
    outputs: (graph.output ?? []).map(readValueInfo),
  };
}

function readNode(node: onnxProto.onnx.INodeProto, index: number): OnnxNode {
  const name = node.name ?? '';
  const where = `node ${name === '' ? `#${index}` : `"${name}"`} (${node.opType})`;
  const attributes = new Map<string, Attribute>();
  for (const a of node.attribute ?? []) attributes.set(a.name ?? '', readAttribute(a, where));
  return {
    opType: node.opType ?? '',
    domain: node.domain === 'ai.onnx' ? '' : (node.domain ?? ''),
    name,
    inputs: node.input ?? [],
    outputs: node.output ?? [],
    attributes,
  };
}

function readAttribute(a: onnxProto.onnx.IAttributeProto, where: string): Attribute {
  switch (a.type) {
    case AttributeType.INT:
      return { kind: 'int', value: toInt(a.i) };
    case AttributeType.FLOAT:
      return { kind: 'float', value: a.f ?? 0 };
    case AttributeType.STRING:
      return { kind: 'string', value: new TextDecoder().decode(a.s ?? new Uint8Array()) };
    case AttributeType.INTS:
      return { kind: 'ints', value: (a.ints ?? []).map(toInt) };
    case AttributeType.FLOATS:
      return { kind: 'floats', value: a.floats ?? [] };
    case AttributeType.TENSOR:
      return { kind: 'tensor', value: readTensor(a.t ?? {}, `attribute "${a.name}" of ${where}`) };
    default:
      return { kind: 'other' };
  }
}

function readValueInfo(info: onnxProto.onnx.IValueInfoProto): OnnxValueInfo {
  const shape = info.type?.tensorType?.shape;
  return { name: info.name ?? '', dims: shape ? (shape.dim ?? []).map(readDim) : null };
}

/** A symbol (`batch`), a size, or null where the file says nothing. */
function readDim(d: onnxProto.onnx.TensorShapeProto.IDimension): number | string | null {
  if (d.dimParam) return d.dimParam;
  const size = toInt(d.dimValue);
  return size > 0 ? size : null;
}

/** Bytes per value of the data types read from raw_data. */
const BYTES: Readonly<Record<number, number>> = {
  [DataType.FLOAT]: 4,
  [DataType.DOUBLE]: 8,
  [DataType.INT64]: 8,
  [DataType.INT32]: 4,
  [DataType.INT16]: 2,
  [DataType.UINT16]: 2,
  [DataType.INT8]: 1,
  [DataType.UINT8]: 1,
  [DataType.BOOL]: 1,
};

/** Bytes copied to a fresh, aligned buffer (raw_data may start at any offset of the file; in
 * Node it is a Buffer, whose slice() would share the file's memory). */
function aligned(bytes: Uint8Array): ArrayBuffer {
  return new Uint8Array(bytes).buffer;
}

function readTensor(t: onnxProto.onnx.ITensorProto, what: string): ConstTensor {
  const dims = (t.dims ?? []).map(toInt);
  const count = dims.reduce((a, b) => a * b, 1);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
    throw new OnnxFormatError(
      `${what} is stored in a separate external-data file, which nnb import does not read; ` +
        'save the model with its weights inside the .onnx file',
    );
  }
  const raw =
    t.rawData !== null && t.rawData !== undefined && t.rawData.length > 0 ? t.rawData : null;
  const type = t.dataType ?? 0;
  const size = BYTES[type];
  if (raw !== null && size !== undefined && raw.length % size !== 0) {
    throw new OnnxFormatError(
      `${what} has ${raw.length} bytes of data, not a whole number of ${size}-byte values`,
    );
  }
  let data: Float32Array | Float64Array;
  let kind: ConstTensor['type'];
  switch (type) {
    case DataType.FLOAT:
      kind = 'float';
      data = raw ? new Float32Array(aligned(raw)) : Float32Array.from(t.floatData ?? []);
      break;
    case DataType.DOUBLE:
      kind = 'float';
      data = Float32Array.from(raw ? new Float64Array(aligned(raw)) : (t.doubleData ?? []));
      break;
    case DataType.INT64:
      kind = 'int';
      data = raw
        ? Float64Array.from(new BigInt64Array(aligned(raw)), (v) => Number(v))
        : Float64Array.from((t.int64Data ?? []).map(toInt));
      break;
    case DataType.INT32:
    case DataType.INT16:
    case DataType.INT8:
    case DataType.UINT8:
    case DataType.UINT16:
    case DataType.BOOL:
      kind = 'int';
      data = raw ? Float64Array.from(intView(type, raw)) : Float64Array.from(t.int32Data ?? []);
      break;
    default:
      throw new OnnxFormatError(
        `${what} holds ${DATA_TYPE_NAMES[type] ?? `data type ${type}`} values, which nnb import does not read (float32, float64 and integers only)`,
      );
  }
  if (data.length !== count) {
    throw new OnnxFormatError(
      `${what} has ${data.length} values, but its dims ${dims.join('×') || '(scalar)'} need ${count}`,
    );
  }
  return { dims, type: kind, data };
}

function intView(type: number, raw: Uint8Array): ArrayLike<number> {
  const buffer = aligned(raw);
  if (type === DataType.INT32) return new Int32Array(buffer);
  if (type === DataType.INT16) return new Int16Array(buffer);
  if (type === DataType.UINT16) return new Uint16Array(buffer);
  if (type === DataType.INT8) return new Int8Array(buffer);
  return new Uint8Array(buffer);
}
