import { analyze } from '../../core/analysis/analyze.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { formatShape, type Shape } from '../../core/shape.js';
import type { StateDict } from '../../core/weights/StateDict.js';
import { GraphBuilder, Refusal, type LayerValue } from './GraphBuilder.js';
import { BATCH, intTensor } from './constTensor.js';
import { FOLDERS } from './foldConstants.js';
import {
  NODES_LISTED,
  OnnxFormatError,
  UnsupportedModelError,
  type UnsupportedOperator,
} from './importErrors.js';
import { NodeAttributes } from './nodeAttributes.js';
import { readableName } from './nodeNames.js';
import { readOnnxFile, type OnnxFile, type OnnxNode, type OnnxValueInfo } from './onnxFile.js';
import type { ChannelsLastView, GroupedView, OpContext, PendingPad, Value } from './opContext.js';
import { onnxOpImporter } from './onnxOps.js';
import { materializePad } from './windowOps.js';

/** The operator sets read: as PyTorch writes them, 11 (torch 1.x's default) to 21. */
export const OPSETS = { min: 11, max: 21 } as const;

export interface ImportOptions {
  /** The graph's name (the file's, without .onnx). */
  readonly name: string;
  /** C×H×W (or F) for an input whose size the file leaves symbolic. */
  readonly inputShape?: Shape;
}

export interface ImportedModel {
  readonly graph: GraphDocument;
  /** Weights and buffers in PyTorch's layout, by `<node id>.<tensor>`. */
  readonly state: StateDict;
  readonly opset: number;
  readonly producer: string;
}

const UNKNOWN: Value = { kind: 'unknown' };

/** The producer name NN Builder's ONNX exporter writes. */
const OWN_PRODUCER = 'NN Builder';

/**
 * Translates an ONNX model into a graph document and its weights: shape arithmetic folded with
 * the static input shape, each remaining node through its entry in ONNX_OPS. Throws
 * OnnxFormatError for a broken file and UnsupportedModelError, listing every operator NN Builder
 * cannot express, for a model it cannot take whole.
 */
export function importOnnx(bytes: Uint8Array, options: ImportOptions): ImportedModel {
  const file = readOnnxFile(bytes);
  if (file.opset < OPSETS.min || file.opset > OPSETS.max) {
    throw new UnsupportedModelError(
      [],
      `it uses ONNX opset ${file.opset}; nnb import reads opsets ${OPSETS.min}–${OPSETS.max}`,
    );
  }
  const live = liveNodes(file);
  const readers = new Map<string, number>();
  const read = (name: string) => readers.set(name, (readers.get(name) ?? 0) + 1);
  for (const node of live) for (const name of node.inputs) if (name !== '') read(name);
  for (const output of file.outputs) read(output.name);

  const builder = new GraphBuilder();
  const values = new Map<string, Value>();
  for (const [name, tensor] of file.initializers) values.set(name, { kind: 'const', tensor });
  for (const input of file.inputs) {
    values.set(input.name, builder.addInput(input.name, inputShape(input, options, file)));
  }
  const unsupported = new Map<string, { nodes: string[]; count: number; reason: string }>();
  const refuse = (node: OnnxNode, reason: string) => {
    const op = node.domain === '' ? node.opType : `${node.domain}.${node.opType}`;
    const entry = unsupported.get(op) ?? { nodes: [], count: 0, reason };
    entry.count++;
    if (entry.nodes.length < NODES_LISTED) entry.nodes.push(nodeLabel(node));
    unsupported.set(op, entry);
  };

  for (const node of live) {
    const inputs = node.inputs.map((name) => (name === '' ? undefined : values.get(name)));
    const setOutputs = (first: Value, rest: readonly Value[] = []) =>
      node.outputs.forEach(
        (o, i) => o !== '' && values.set(o, i === 0 ? first : (rest[i - 1] ?? UNKNOWN)),
      );
    if (inputs.some((v) => v?.kind === 'unknown')) {
      // Downstream of a refused node nothing is known, but an operator we have no importer for
      // at all is still listed: the table names every operator the model would need.
      const op = node.opType;
      if (node.domain !== '' || (onnxOpImporter(op) === undefined && FOLDERS[op] === undefined)) {
        refuse(node, unknownOperatorReason(node));
      }
      setOutputs(UNKNOWN);
      continue;
    }
    try {
      setOutputs(...importNode(node, inputs, file, builder, readers, values));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      refuse(error.node ?? node, error.message);
      setOutputs(UNKNOWN);
    }
  }
  const outputs: LayerValue[] = [];
  for (const output of file.outputs) {
    const v = values.get(output.name);
    if (v?.kind === 'pad') {
      try {
        outputs.push(layerOf(v, builder));
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        refuse(v.node, error.message);
      }
    } else if (v?.kind === 'layer') outputs.push(v);
    else if (v?.kind === 'view' || v?.kind === 'nhwc') refuse(v.node, viewReader(v));
    else if (v?.kind === 'const') {
      throw new UnsupportedModelError(
        [],
        `its output "${output.name}" is a constant, not computed from the input`,
      );
    }
  }
  if (unsupported.size > 0) {
    throw new UnsupportedModelError(
      [...unsupported].map(([op, e]): UnsupportedOperator => ({ op, ...e })),
    );
  }
  file.outputs.forEach((o, i) => checkOutputShape(o, outputs[i]));
  const description = `Imported from ONNX (opset ${file.opset}${file.producer ? `, written by ${file.producer}` : ''}).`;
  builder.foldSqueezeExcitations();
  const graph = builder.document(options.name, description);
  const errors = analyze(graph).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new UnsupportedModelError([], errors.map((d) => d.message).join(' '));
  }
  let state: StateDict;
  try {
    state = builder.stateDict(graph);
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    throw new UnsupportedModelError([], error.message);
  }
  return { graph, state, opset: file.opset, producer: file.producer };
}

const nodeLabel = (node: OnnxNode) => node.name || node.outputs[0] || node.opType;

/** The nodes the outputs depend on, in file order; a tensor nothing produces is a broken file. */
function liveNodes(file: OnnxFile): OnnxNode[] {
  const producer = new Map<string, number>();
  file.nodes.forEach((node, i) => node.outputs.forEach((o) => o !== '' && producer.set(o, i)));
  const known = (name: string) =>
    producer.has(name) || file.initializers.has(name) || file.inputs.some((i) => i.name === name);
  const needed = new Set<number>();
  const stack = file.outputs.map((o) => o.name);
  for (const name of stack) {
    if (!known(name)) throw new OnnxFormatError(`its output "${name}" is computed by no node`);
  }
  while (stack.length > 0) {
    const index = producer.get(stack.pop() ?? '');
    if (index === undefined || needed.has(index)) continue;
    needed.add(index);
    const node = file.nodes[index];
    for (const name of node?.inputs ?? []) {
      if (name === '') continue;
      if (!known(name)) {
        throw new OnnxFormatError(
          `node "${nodeLabel(node as OnnxNode)}" (${node?.opType}) reads "${name}", which no node, input or initializer provides: the file is incomplete`,
        );
      }
      stack.push(name);
    }
  }
  return file.nodes.filter((_, i) => needed.has(i));
}

/** The per-sample shape of a graph input: its dims after the batch, or the --input given. */
function inputShape(input: OnnxValueInfo, options: ImportOptions, file: OnnxFile): Shape {
  if (options.inputShape !== undefined && file.inputs.length === 1) return options.inputShape;
  const dims = input.dims?.slice(1);
  if (dims === undefined || dims.length === 0 || !dims.every((d) => typeof d === 'number')) {
    const shown = (input.dims ?? []).map((d) => d ?? '?').join('×');
    throw new OnnxFormatError(
      `the input "${input.name}" has no fixed size (${shown || 'no shape'}); give one with --input C,H,W`,
    );
  }
  return dims as number[];
}

function checkOutputShape(info: OnnxValueInfo, value: LayerValue | undefined): void {
  const declared = info.dims?.slice(1);
  if (value === undefined || declared === undefined) return;
  const mismatch =
    declared.length !== value.shape.length ||
    declared.some((d, i) => typeof d === 'number' && d !== value.shape[i]);
  if (mismatch) {
    throw new UnsupportedModelError(
      [],
      `the imported graph computes ${formatShape(value.shape)} for the output "${info.name}", but the file declares ${declared.map((d) => d ?? '?').join('×')}`,
    );
  }
}

function unknownOperatorReason(node: OnnxNode): string {
  return node.domain !== ''
    ? `it belongs to the "${node.domain}" operator set, not to standard ONNX`
    : 'no NN Builder layer computes it';
}

/** A pending Pad as a layer (ZeroPad2d), written once however many nodes read it. */
function layerOf(p: PendingPad, builder: GraphBuilder): LayerValue {
  if (p.materialized !== undefined) return p.materialized;
  try {
    p.materialized = materializePad(p, (type, params, sources) =>
      builder.addLayer(type, params, sources, {}, readableName(p.node, [])),
    );
  } catch (error) {
    if (error instanceof Refusal && error.node === undefined)
      throw new Refusal(error.message, p.node);
    throw error;
  }
  return p.materialized;
}

/** Folds or imports one node; returns the values of its outputs. */
function importNode(
  node: OnnxNode,
  inputs: readonly (Value | undefined)[],
  { opset, producer }: OnnxFile,
  builder: GraphBuilder,
  readers: ReadonlyMap<string, number>,
  values: ReadonlyMap<string, Value>,
): [Value, Value[]] {
  if (node.domain !== '') throw new Refusal(unknownOperatorReason(node));
  const attrs = new NodeAttributes(node);
  const folder = FOLDERS[node.opType];
  const first = inputs[0];
  if (node.opType === 'Shape' && (first?.kind === 'layer' || first?.kind === 'pad')) {
    const shape = first.kind === 'layer' ? first.shape : padded(first);
    const dims = [BATCH, ...shape];
    const end = attrs.int('end', dims.length);
    return [{ kind: 'const', tensor: intTensor(dims.slice(attrs.int('start', 0), end)) }, []];
  }
  if (folder !== undefined && inputs.every((v) => v === undefined || v.kind === 'const')) {
    const consts = inputs.map((v) => (v?.kind === 'const' ? v.tensor : undefined));
    const [out, ...rest] = folder({ inputs: consts, attrs, opset }).map((tensor): Value => ({
      kind: 'const',
      tensor,
    }));
    return [out ?? UNKNOWN, rest];
  }
  const importer = onnxOpImporter(node.opType);
  if (importer === undefined) {
    throw new Refusal(
      folder !== undefined
        ? 'it computes on values known only when the model runs'
        : unknownOperatorReason(node),
    );
  }
  const weightNames = node.inputs.filter((n) => values.get(n)?.kind === 'const');
  const hint = readableName(node, weightNames, producer.startsWith(OWN_PRODUCER));
  const ctx: OpContext = {
    node,
    attrs,
    opset,
    value: (i) => inputs[i],
    constant(i, what) {
      const v = inputs[i];
      if (v?.kind !== 'const') {
        throw new Refusal(
          `its ${what} (input ${i}) is ${v === undefined ? 'missing' : 'computed, not a constant'}`,
        );
      }
      return v.tensor;
    },
    layerInput(i) {
      const v = inputs[i];
      if (v?.kind === 'layer') return v;
      if (v?.kind === 'pad') return layerOf(v, builder);
      if (v?.kind === 'view' || v?.kind === 'nhwc') throw new Refusal(viewReader(v));
      throw new Refusal(
        `its input ${i} is ${v === undefined ? 'missing' : 'a constant, not computed from the model input'}`,
      );
    },
    readers: (name) => readers.get(name) ?? 0,
    emit: (type, params, sources, weights = {}) =>
      builder.addLayer(type, params, sources, weights, hint),
    layer: (id) => builder.layer(id),
    shapeOf(i) {
      const v = inputs[i];
      if (v?.kind === 'layer') return v.shape;
      if (v?.kind === 'pad') return padded(v);
      if (v?.kind === 'view' || v?.kind === 'nhwc') throw new Refusal(viewReader(v));
      throw new Refusal(`its input ${i} is not computed from the model input`);
    },
  };
  const result = importer(ctx);
  if (isValueList(result)) return [result[0] ?? UNKNOWN, result.slice(1)];
  const extra = node.outputs.slice(1).find((o) => o !== '' && (readers.get(o) ?? 0) > 0);
  if (extra !== undefined) throw new Refusal(`its extra output "${extra}" is used`);
  return [result, []];
}

const isValueList = (v: Value | readonly Value[]): v is readonly Value[] => Array.isArray(v);

/** Why a node cannot read a view: the pattern it belongs to is a layer only as a whole. */
const viewReader = (v: GroupedView | ChannelsLastView): string =>
  v.kind === 'view'
    ? 'it reads the g×(C/g)×H×W intermediate of a channel shuffle (Reshape → Transpose → Reshape), ' +
      'which NN Builder takes only as a whole (ChannelShuffle)'
    : 'it reads a channels-last (Transpose (0, 2, 3, 1)) map, which NN Builder takes only as ' +
      'LayerNormalization over its channels and the Transpose back (LayerNorm2d)';

/** The shape after a pending Pad. */
function padded(p: PendingPad): Shape {
  const [c = 0, h = 0, w = 0] = p.source.shape;
  const [t, l, b, r] = p.pads;
  return [c, h + t + b, w + l + r];
}
