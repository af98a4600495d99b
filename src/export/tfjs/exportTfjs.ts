import { analyze } from '../../core/analysis/analyze.js';
import type { GraphDocument } from '../../core/graph/document.js';
import type { StateDict } from '../../core/weights/StateDict.js';
import { ExportError } from '../ExportError.js';
import { kerasEmitterOf, type KerasContext, type KerasWeight } from './kerasEmitters.js';

export interface TfjsFiles {
  /** `model.json`: the Keras topology and the weights manifest, as `tf.loadLayersModel` reads it. */
  readonly modelJson: string;
  readonly weightsBin: Uint8Array;
}

interface KerasLayer {
  readonly class_name: string;
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly inbound_nodes: unknown[];
}

/**
 * A TensorFlow.js LayersModel (standard Keras layers only, so plain `tf.loadLayersModel` loads it).
 * Feature maps are channels-last inside (inputs H×W×C), as TensorFlow.js expects; Flatten first
 * returns to C×H×W order so the Dense weights are PyTorch's.
 */
export function exportTfjs(graph: GraphDocument, state: StateDict, version = '0.1.0'): TfjsFiles {
  const analysis = analyze(graph);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    throw new ExportError(
      `the graph has errors; fix them first: ${errors.map((d) => d.message).join(' | ')}`,
      errors[0]?.node,
    );
  const layers: KerasLayer[] = [];
  const weightSpecs: { name: string; shape: readonly number[]; dtype: 'float32' }[] = [];
  const weightData: Float32Array[] = [];
  const names = new Set<string>();
  const unique = (base: string) => {
    let name = base.replace(/[^A-Za-z0-9_.-]/g, '_');
    for (let i = 2; names.has(name); i++) name = `${base.replace(/[^A-Za-z0-9_.-]/g, '_')}_${i}`;
    names.add(name);
    return name;
  };
  /** Keras layer producing each primitive's output. */
  const producer = new Map<string, string>();
  const tensorOf = (id: string) => producer.get(analysis.nodes.get(id)?.outputNode ?? id) ?? id;
  const inputs: string[] = [];

  for (const layer of analysis.layers) {
    if (layer.type === 'Input') {
      const shape = layer.outputShape ?? [];
      const name = unique(layer.id);
      const keras = shape.length === 3 ? [shape[1], shape[2], shape[0]] : shape;
      layers.push({
        class_name: 'InputLayer',
        name,
        config: { batch_input_shape: [null, ...keras], dtype: 'float32', sparse: false, name },
        inbound_nodes: [],
      });
      producer.set(layer.id, name);
      inputs.push(name);
      continue;
    }
    const emit = kerasEmitterOf(layer.type);
    const fail = (reason: string): never => {
      throw new ExportError(
        `${layer.type} "${layer.id}" cannot be exported to TensorFlow.js: ${reason}.`,
        layer.id,
      );
    };
    if (emit === undefined) fail('this layer type has no Keras form');
    let last: string | undefined;
    const ctx: KerasContext = {
      layer,
      p: layer.resolvedParams ?? {},
      inputs: layer.sources.map(tensorOf),
      sourceTypes: layer.sources.map(
        (s) => analysis.nodes.get(analysis.nodes.get(s)?.outputNode ?? s)?.type ?? '',
      ),
      add(className, config, from, weights: readonly KerasWeight[] = []) {
        const { __suffix, ...rest } = config;
        const name = unique(__suffix === undefined ? layer.id : `${layer.id}_${String(__suffix)}`);
        layers.push({
          class_name: className,
          name,
          config: { ...rest, name, trainable: true },
          inbound_nodes: [from.map((f) => [f, 0, 0, {}])],
        });
        for (const w of weights) {
          weightSpecs.push({ name: `${name}/${w.name}`, shape: w.shape, dtype: 'float32' });
          weightData.push(w.data);
        }
        last = name;
        return name;
      },
      tensor(name) {
        const t = state.get(`${layer.id}.${name}`);
        if (t === undefined) throw new ExportError(`no weights for ${layer.id}.${name}`, layer.id);
        return { shape: t.shape, data: Float32Array.from(t.data) };
      },
      fail,
    };
    emit?.(ctx);
    producer.set(layer.id, last ?? ctx.inputs[0] ?? '');
  }
  const outputs = analysis.outputs.map(tensorOf);
  const modelTopology = {
    class_name: 'Model',
    config: {
      name: (graph.name ?? 'model').replace(/[^A-Za-z0-9_.-]/g, '_'),
      layers,
      input_layers: inputs.map((n) => [n, 0, 0]),
      output_layers: outputs.map((n) => [n, 0, 0]),
    },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
  const size = weightData.reduce((s, w) => s + w.length, 0);
  const weights = new Float32Array(size);
  let at = 0;
  for (const w of weightData) {
    weights.set(w, at);
    at += w.length;
  }
  const modelJson = JSON.stringify({
    format: 'layers-model',
    generatedBy: `NN Builder ${version}`,
    convertedBy: null,
    modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
  });
  return { modelJson, weightsBin: new Uint8Array(weights.buffer) };
}
