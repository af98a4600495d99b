import { analyze } from '../../core/analysis/analyze.js';
import type { GraphDocument } from '../../core/graph/document.js';
import type { Shape } from '../../core/shape.js';
import type { StateDict } from '../../core/weights/StateDict.js';
import { GraphBuilder, Refusal } from '../onnx/GraphBuilder.js';
import type { ConstTensor } from '../onnx/constTensor.js';
import {
  ModelFormatError,
  NODES_LISTED,
  UnsupportedModelError,
  type UnsupportedOperator,
} from '../onnx/importErrors.js';
import type { KerasLayerContext, KerasTensor, KerasValue } from './kerasContext.js';
import { kerasImporter } from './kerasLayers.js';
import { readKerasModelJson, type KerasLayerSpec } from './kerasModelJson.js';
import { readManifestWeights } from './kerasWeights.js';

export interface KerasImportOptions {
  /** The graph's name. */
  readonly name: string;
  /** The weights manifest's .bin files, by file name. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** C×H×W (or F) for an input whose size the file leaves open. */
  readonly inputShape?: Shape;
}

export interface ImportedKerasModel {
  readonly graph: GraphDocument;
  /** Weights and buffers in PyTorch's layout, by `<node id>.<tensor>`. */
  readonly state: StateDict;
  readonly kind: 'Sequential' | 'Functional';
  readonly producer: string;
}

type Known = KerasValue | 'unknown';

/**
 * Translates a Keras / TensorFlow.js LayersModel (`model.json` text and its .bin files) into a
 * graph document and its weights: channels-last maps become C×H×W, kernels are transposed to
 * PyTorch's layout, a Dense after a channels-last Flatten gets its rows reordered. Throws
 * ModelFormatError for a broken file and UnsupportedModelError, listing every layer class NN
 * Builder cannot express, for a model it cannot take whole.
 */
export function importKeras(text: string, options: KerasImportOptions): ImportedKerasModel {
  const model = readKerasModelJson(text);
  const weights = readManifestWeights(model.manifest, options.files);
  const builder = new GraphBuilder();
  const values = new Map<string, Known>();
  const unsupported = new Map<string, { nodes: string[]; count: number; reason: string }>();
  const refuse = (layer: KerasLayerSpec, reason: string) => {
    const entry = unsupported.get(layer.className) ?? { nodes: [], count: 0, reason };
    entry.count++;
    if (entry.nodes.length < NODES_LISTED) entry.nodes.push(layer.name);
    unsupported.set(layer.className, entry);
  };

  for (const layer of inOrder(model.layers)) {
    if (layer.className === 'InputLayer') {
      values.set(layer.name, builder.addInput(layer.name, inputShape(layer, options)));
      continue;
    }
    if (layer.inbound.length === 0) {
      throw new ModelFormatError(`layer "${layer.name}" (${layer.className}) reads no layer`);
    }
    const inputs = layer.inbound.map((name) => values.get(name) ?? 'unknown');
    const importer = kerasImporter(layer.className);
    if (importer === undefined || inputs.some((v) => v === 'unknown')) {
      // Downstream of a refused layer nothing is known, but a class we cannot read at all is
      // still listed: the table names every class the model would need.
      if (importer === undefined) refuse(layer, 'no NN Builder layer computes it');
      values.set(layer.name, 'unknown');
      continue;
    }
    try {
      const ctx = layerContext(layer, inputs as KerasValue[], builder, weights);
      values.set(layer.name, importer(ctx));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      refuse(layer, error.message);
      values.set(layer.name, 'unknown');
    }
  }
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  for (const name of model.outputs) {
    const v = values.get(name);
    const layer = byName.get(name);
    if (v === undefined || v === 'unknown' || layer === undefined) continue;
    if (v.kind === 'chw' || (v.kind === 'layer' && v.order !== undefined)) {
      refuse(layer, 'the model outputs a channels-last map flattened in Keras order');
    }
  }
  if (unsupported.size > 0) {
    throw new UnsupportedModelError(
      [...unsupported].map(([op, e]): UnsupportedOperator => ({ op, ...e })),
    );
  }
  const description = `Imported from a Keras ${model.kind} model${model.producer ? ` (${model.producer})` : ''}.`;
  const graph = withOutputs(builder, model.outputs, values).document(options.name, description);
  const errors = analyze(graph).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new UnsupportedModelError([], errors.map((d) => d.message).join(' '));
  try {
    return { graph, state: builder.stateDict(graph), kind: model.kind, producer: model.producer };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    throw new UnsupportedModelError([], error.message);
  }
}

/** Pending outputs (a global pool's flat vector, a ZeroPadding2D) written as layers. */
function withOutputs(
  builder: GraphBuilder,
  outputs: readonly string[],
  values: ReadonlyMap<string, Known>,
): GraphBuilder {
  for (const name of outputs) {
    const v = values.get(name);
    if (v === undefined || v === 'unknown') continue;
    materialize(v, builder);
  }
  return builder;
}

/** A value as a layer's output, adding the layer a pending value stands for. */
function materialize(v: KerasValue, builder: GraphBuilder): KerasTensor {
  switch (v.kind) {
    case 'layer':
      return v;
    case 'pad': {
      const [t, b, l, r] = v.pads;
      return (v.materialized ??= builder.addLayer(
        'ZeroPad2d',
        { padding: [l, r, t, b] },
        [v.source],
        {},
        v.name,
      ));
    }
    case 'pooled':
      return (v.flat ??= builder.addLayer('Flatten', {}, [v.spatial], {}, `${v.name}_flat`));
    case 'chw':
      throw new Refusal(
        `it reads the Permute "${v.name}", which NN Builder reads only before a Flatten`,
      );
  }
}

function layerContext(
  spec: KerasLayerSpec,
  inputs: readonly KerasValue[],
  builder: GraphBuilder,
  weights: ReadonlyMap<string, ConstTensor>,
): KerasLayerContext {
  const findWeight = (name: string): ConstTensor | undefined => {
    const exact = weights.get(`${spec.name}/${name}`);
    if (exact !== undefined) return exact;
    const suffix = `/${spec.name}/${name}`;
    for (const [key, t] of weights) if (key.endsWith(suffix)) return t;
    return undefined;
  };
  let emitted = 0;
  const value = (i: number): KerasValue => {
    const v = inputs[i];
    if (v === undefined) throw new Refusal(`it has no input ${i}`);
    return v;
  };
  return {
    spec,
    config: spec.config,
    value,
    tensor: (i) => materialize(value(i), builder),
    tensors: () => inputs.map((v) => materialize(v, builder)),
    hasWeight: (name) => findWeight(name) !== undefined,
    weight(name, shape) {
      const t = findWeight(name);
      const what = `${spec.className} "${spec.name}"`;
      if (t === undefined) {
        throw new ModelFormatError(
          `${what} needs its ${name}, which the weightsManifest does not list`,
        );
      }
      if (
        shape !== undefined &&
        (t.dims.length !== shape.length || t.dims.some((d, i) => d !== shape[i]))
      ) {
        throw new ModelFormatError(
          `${what}: its ${name} is ${t.dims.join('×')} but the layer needs ${shape.join('×')}`,
        );
      }
      return t;
    },
    typeOf: (v) => builder.layer(v.id)?.type,
    emit(type, params, sources, layerWeights = {}, suffix) {
      // The Keras name goes to the layer's own computation; a padding or activation around it is
      // named after it (`conv1_pad`, `conv1_relu`).
      const own = suffix === undefined && emitted++ === 0;
      const hint = own ? spec.name : `${spec.name}_${suffix ?? type.toLowerCase()}`;
      return builder.addLayer(type, params, sources, layerWeights, hint);
    },
  };
}

/** The layers with every layer after those it reads: file order where it already is. */
function inOrder(layers: readonly KerasLayerSpec[]): KerasLayerSpec[] {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const state = new Map<string, 'visiting' | 'done'>();
  const out: KerasLayerSpec[] = [];
  const visit = (layer: KerasLayerSpec) => {
    const seen = state.get(layer.name);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      throw new ModelFormatError(`its layers read each other in a cycle (through "${layer.name}")`);
    }
    state.set(layer.name, 'visiting');
    for (const source of layer.inbound) {
      const s = byName.get(source);
      if (s !== undefined) visit(s);
    }
    state.set(layer.name, 'done');
    out.push(layer);
  };
  layers.forEach(visit);
  return out;
}

/** An InputLayer's shape: batch_input_shape [null, H, W, C] → C×H×W, [null, F] → F. */
function inputShape(layer: KerasLayerSpec, options: KerasImportOptions): Shape {
  if (options.inputShape !== undefined) return options.inputShape;
  const shape = layer.config.batch_input_shape ?? layer.config.batch_shape;
  const dims = Array.isArray(shape) ? shape.slice(1) : [];
  if (
    !dims.every((d) => Number.isInteger(d) && (d as number) > 0) ||
    (dims.length !== 1 && dims.length !== 3)
  ) {
    throw new ModelFormatError(
      `the input "${layer.name}" has no fixed H×W×C or F size (${JSON.stringify(shape ?? null)}); give one with --input C,H,W`,
    );
  }
  const [h, w, c] = dims as number[];
  return dims.length === 3 ? [c ?? 0, h ?? 0, w ?? 0] : (dims as number[]);
}
