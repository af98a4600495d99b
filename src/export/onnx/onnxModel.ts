import onnxProto from 'onnx-proto';

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
const { onnx } = onnxProto;
const { AttributeType } = onnx.AttributeProto;
const { DataType } = onnx.TensorProto;
const ATTRIBUTE_TYPES = {
  float: AttributeType.FLOAT,
  int: AttributeType.INT,
  string: AttributeType.STRING,
  ints: AttributeType.INTS,
} as const;

/** Encodes a ModelProto (with onnx-proto, ONNX's own schema compiled for protobufjs). */
export function encodeModel(
  graph: OnnxGraph,
  producerVersion: string,
  docString: string,
): Uint8Array {
  const model: onnxProto.onnx.IModelProto = {
    irVersion: IR_VERSION,
    producerName: 'NN Builder',
    producerVersion,
    docString,
    graph: {
      node: graph.nodes.map(nodeProto),
      name: graph.name,
      initializer: graph.initializers.map(tensorProto),
      input: graph.inputs.map(valueInfoProto),
      output: graph.outputs.map(valueInfoProto),
    },
    opsetImport: [{ domain: '', version: OPSET }],
  };
  return onnx.ModelProto.encode(model).finish();
}

function nodeProto(node: OnnxNode): onnxProto.onnx.INodeProto {
  return {
    input: [...node.inputs],
    output: [...node.outputs],
    name: node.name,
    opType: node.opType,
    attribute: Object.entries(node.attributes ?? {}).map(([name, attr]) => ({
      name,
      type: ATTRIBUTE_TYPES[attr.kind],
      ...(attr.kind === 'int'
        ? { i: attr.value }
        : attr.kind === 'float'
          ? { f: attr.value }
          : attr.kind === 'string'
            ? { s: new TextEncoder().encode(attr.value) }
            : { ints: [...attr.value] }),
    })),
  };
}

function tensorProto(tensor: OnnxTensor): onnxProto.onnx.ITensorProto {
  return {
    dims: [...tensor.dims],
    dataType: tensor.dataType === 'float' ? DataType.FLOAT : DataType.INT64,
    name: tensor.name,
    // raw_data is little-endian, which typed arrays are on every platform Node runs on.
    rawData: new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength),
  };
}

function valueInfoProto(info: OnnxValueInfo): onnxProto.onnx.IValueInfoProto {
  return {
    name: info.name,
    type: {
      tensorType: {
        elemType: DataType.FLOAT,
        shape: {
          dim: info.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}
