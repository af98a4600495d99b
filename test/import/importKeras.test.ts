// The Keras importer without TensorFlow: NN Builder's own TensorFlow.js exports read back (every
// template), and small model.json files written here for the refusals and broken files.
import { describe, expect, it } from 'vitest';
import { analyze, type GraphAnalysis, type NodeAnalysis } from '../../src/core/analysis/analyze.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import type { StateDict, WeightTensor } from '../../src/core/weights/StateDict.js';
import { layerTensors } from '../../src/core/weights/layerTensors.js';
import { exportTfjs } from '../../src/export/tfjs/exportTfjs.js';
import {
  ModelFormatError,
  UnsupportedModelError,
  unsupportedTable,
} from '../../src/import/onnx/importErrors.js';
import { importKeras } from '../../src/import/keras/importKeras.js';
import { templateGraphs } from './templateGraphs.js';

const TEMPLATES = templateGraphs();

/**
 * Weights whose every element differs from its neighbours' (a cheap pattern, so that VGG-16's
 * 138M parameters are drawn quickly): a transposition gone wrong cannot hide.
 */
function patternedState(analysis: GraphAnalysis): StateDict {
  const state = new Map<string, WeightTensor>();
  let seed = 1;
  for (const layer of analysis.layers) {
    for (const spec of layerTensors(layer)) {
      const count = spec.shape.reduce((a, b) => a * b, 1);
      const key = `${layer.id}.${spec.name}`;
      if (spec.role === 'batches-tracked') {
        state.set(key, { shape: [...spec.shape], dtype: 'int64', data: new Float64Array(1) });
        continue;
      }
      const offset = seed++ * 101;
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = (((i * 7919 + offset) % 10007) - 5003) / 4096;
      state.set(key, { shape: [...spec.shape], dtype: 'float32', data });
    }
  }
  return state;
}

const keras = (id: string) => id.replace(/[^A-Za-z0-9_.-]/g, '_');

/** The primitive layer whose output a port of `layer` reads (through blocks' inputs and outputs). */
function sourceOf(analysis: GraphAnalysis, layer: NodeAnalysis, port: number): string {
  const s = layer.sources[port] ?? '';
  if (s === '@input') {
    const parent = analysis.nodes.get(layer.parent ?? '');
    if (parent === undefined) throw new Error(`no block around ${layer.id}`);
    return sourceOf(analysis, parent, 0);
  }
  return analysis.nodes.get(s)?.outputNode ?? s;
}

/**
 * What the export keeps of a layer: a pool's stride left out is its kernel size, and an adaptive
 * pool whose output is not 1×1 is written as the plain pool it equals for this input (Keras has no
 * adaptive pooling), so it reads back as that pool.
 */
function asWritten(layer: NodeAnalysis): { type: string; params: unknown } {
  const p = layer.resolvedParams ?? {};
  if (layer.type === 'MaxPool2d' || layer.type === 'AvgPool2d') {
    return { type: layer.type, params: { ...p, stride: p.stride ?? p.kernel_size } };
  }
  const [, oh = 1, ow = 1] = layer.outputShape ?? [];
  if (layer.type === 'AdaptiveAvgPool2d' && oh * ow > 1) {
    const [, h = 0, w = 0] = layer.inputShapes[0] ?? [];
    const window = [h / oh, w / ow];
    const params = { kernel_size: window, stride: window, padding: [0, 0] };
    return {
      type: 'AvgPool2d',
      params: { ...params, ceil_mode: false, count_include_pad: true, divisor_override: null },
    };
  }
  return { type: layer.type, params: p };
}

function binFiles(weightsBin: Uint8Array): Map<string, Uint8Array> {
  return new Map([['weights.bin', weightsBin]]);
}

/** LayerNorm2d (Keras LayerNormalization) and a C×1×1 gate times the map (Keras Multiply). */
const GATED: GraphDocument = {
  format: 'nnb-graph',
  version: 1,
  nodes: [
    { id: 'x', type: 'Input', params: { shape: [3, 8, 8] } },
    { id: 'conv', type: 'Conv2d', params: { out_channels: 4, kernel_size: 3, padding: 1 } },
    { id: 'ln', type: 'LayerNorm2d', params: { eps: 1e-6 } },
    { id: 'pool', type: 'AdaptiveAvgPool2d', params: { output_size: 1 } },
    { id: 'fc', type: 'Conv2d', params: { out_channels: 4, kernel_size: 1 } },
    { id: 'gate', type: 'Sigmoid' },
    { id: 'scale', type: 'Multiply' },
    { id: 'plain', type: 'LayerNorm2d', params: { elementwise_affine: false } },
  ],
  edges: [
    { source: 'x', target: 'conv' },
    { source: 'conv', target: 'ln' },
    { source: 'ln', target: 'pool' },
    { source: 'pool', target: 'fc' },
    { source: 'fc', target: 'gate' },
    { source: 'gate', target: 'scale', targetPort: 0 },
    { source: 'ln', target: 'scale', targetPort: 1 },
    { source: 'scale', target: 'plain' },
  ],
};

describe('importKeras: NN Builder TensorFlow.js exports read back', () => {
  it.each([...TEMPLATES, ['LayerNorm2d and a squeeze-excitation Multiply', GATED] as const])(
    '%s imports back to the same layers, wiring and weights',
    (_, graph) => {
      const analysis = analyze(graph);
      const state = patternedState(analysis);
      const files = exportTfjs(graph, state);
      const imported = importKeras(files.modelJson, {
        name: 'again',
        files: binFiles(files.weightsBin),
      });
      const again = analyze(imported.graph);
      expect(again.hasErrors).toBe(false);
      // Every primitive layer, with its id (a block's `/` becomes `_`), type, resolved params,
      // shapes and sources; nothing more.
      const primitives = analysis.layers.filter((l) => l.children.length === 0);
      expect(again.layers.map((l) => l.id)).toEqual(primitives.map((l) => keras(l.id)));
      for (const layer of primitives) {
        const ours = again.nodes.get(keras(layer.id));
        const written = asWritten(layer);
        expect(ours?.type, layer.id).toBe(written.type);
        const params = ours?.resolvedParams ?? {};
        const stride = ours?.type.endsWith('Pool2d')
          ? { stride: params.stride ?? params.kernel_size }
          : {};
        expect({ ...params, ...stride }, layer.id).toEqual(written.params);
        expect(ours?.outputShape, layer.id).toEqual(layer.outputShape);
        const sources = layer.sources.map((_, i) => keras(sourceOf(analysis, layer, i)));
        expect(ours?.sources, layer.id).toEqual(sources);
      }
      expect(again.totals).toEqual(analysis.totals);
      expect(imported.state.size).toBe(state.size);
      for (const [key, tensor] of state) {
        const dot = key.lastIndexOf('.');
        const mine = imported.state.get(`${keras(key.slice(0, dot))}${key.slice(dot)}`);
        expect(mine?.shape, key).toEqual(tensor.shape);
        // Compared as whole arrays only when they differ, to keep VGG-16's 138M numbers quick.
        const same = mine !== undefined && mine.data.every((v, i) => v === tensor.data[i]);
        if (!same) expect(Array.from(mine?.data ?? []), key).toEqual(Array.from(tensor.data));
      }
    },
  );
});

/** A functional model.json from [class, name, config, inbound] rows, no weights. */
function functionalJson(rows: [string, string, Record<string, unknown>, string[]][]): string {
  const layers = rows.map(([className, name, config, inbound]) => ({
    class_name: className,
    name,
    config: { name, ...config },
    inbound_nodes: inbound.length === 0 ? [] : [inbound.map((s) => [s, 0, 0, {}])],
  }));
  return JSON.stringify({
    format: 'layers-model',
    modelTopology: {
      class_name: 'Model',
      config: {
        name: 'm',
        layers,
        input_layers: [[rows[0]?.[1], 0, 0]],
        output_layers: [[rows.at(-1)?.[1], 0, 0]],
      },
    },
    weightsManifest: [],
  });
}

function refusal(text: string): UnsupportedModelError {
  try {
    importKeras(text, { name: 'm', files: new Map() });
  } catch (error) {
    if (error instanceof UnsupportedModelError) return error;
    throw error;
  }
  throw new Error('the import succeeded');
}

function formatError(text: string, files = new Map<string, Uint8Array>()): string {
  try {
    importKeras(text, { name: 'm', files });
  } catch (error) {
    if (error instanceof ModelFormatError) return error.message;
    throw error;
  }
  throw new Error('the import succeeded');
}

const input = (
  h: number,
  w: number,
  c: number,
): [string, string, Record<string, unknown>, string[]] => [
  'InputLayer',
  'x',
  { batch_input_shape: [null, h, w, c] },
  [],
];

describe('importKeras: refusals and broken files', () => {
  it('lists every layer class it cannot express, with counts, first layers and why', () => {
    const error = refusal(
      functionalJson([
        input(4, 4, 2),
        ['GaussianNoise', 'ln1', { stddev: 0.1 }, ['x']],
        ['GaussianNoise', 'ln2', { stddev: 0.1 }, ['ln1']],
        ['Subtract', 'mul', {}, ['ln2', 'x']],
        ['Reshape', 'r', { target_shape: [32] }, ['x']],
        ['Add', 'sum', {}, ['mul', 'r']],
      ]),
    );
    expect(error.message).toBe('4 node(s) of 3 kind(s) cannot be expressed in NN Builder');
    const table = unsupportedTable(error.operators).split('\n');
    expect(table[0]).toMatch(/^operator\s+count\s+first nodes\s+why$/);
    expect(table.slice(2)).toEqual([
      expect.stringMatching(/^GaussianNoise\s+2\s+ln1, ln2\s+no NN Builder layer computes it$/),
      expect.stringMatching(/^Subtract\s+1\s+mul\s+no NN Builder layer computes it$/),
      expect.stringMatching(/^Reshape\s+1\s+r\s+a Reshape to \[32\] has no NN Builder layer$/),
    ]);
  });

  it('refuses a Dense on a map, an activation it lacks and channels_first, naming the layer', () => {
    const error = refusal(
      functionalJson([
        input(4, 4, 2),
        ['Dense', 'd', { units: 3 }, ['x']],
        ['Activation', 'a', { activation: 'softplus' }, ['x']],
        ['Conv2D', 'c', { filters: 2, kernel_size: 1, data_format: 'channels_first' }, ['x']],
      ]),
    );
    expect(error.operators.map((o) => [o.op, o.nodes, o.reason])).toEqual([
      ['Dense', ['d'], expect.stringMatching(/reads a 2×4×4 input: .* \(Flatten first\)/)],
      ['Activation', ['a'], 'its activation "softplus" has no NN Builder layer'],
      ['Conv2D', ['c'], 'data_format "channels_first" is not read (channels_last only)'],
    ]);
  });

  it('says what is wrong with a broken model.json or weights file', () => {
    expect(formatError('{"modelTopology": {"class_name": "Sequen')).toMatch(
      /^it is not valid JSON/,
    );
    expect(formatError('[]')).toBe('it is not a Keras model: the JSON is not an object');
    expect(formatError(functionalJson([input(4, 4, 2), ['ReLU', 'r', {}, ['nowhere']]]))).toBe(
      'layer "r" reads "nowhere", which is not a layer of the model',
    );
    const lenet = TEMPLATES.find(([f]) => f === 'lenet-5.nnb.json')?.[1];
    if (lenet === undefined) throw new Error('no LeNet-5 template');
    const { modelJson, weightsBin } = exportTfjs(lenet, patternedState(analyze(lenet)));
    expect(formatError(modelJson)).toBe(
      'its weightsManifest names "weights.bin", which is not there (keep the .bin files beside model.json)',
    );
    const half = weightsBin.subarray(0, 1000);
    expect(formatError(modelJson, binFiles(half))).toBe(
      `weights.bin holds 1000 bytes but its manifest lists ${weightsBin.length}: the file is truncated`,
    );
  });
});
