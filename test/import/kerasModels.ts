// Hand-written Keras model.json files (TensorFlow.js LayersModel format) with random weights, for
// the importer's tests: a Sequential conv stack and a functional one with a residual Add.
import { seededRandom } from '../../src/core/weights/initialStateDict.js';

export interface KerasFixture {
  /** The model.json object (modelTopology + weightsManifest). */
  readonly model: { modelTopology: unknown; weightsManifest: unknown; format: string };
  readonly weights: Record<string, { shape: number[]; data: number[] }>;
  /** The weights.bin bytes the manifest describes. */
  readonly bin: Uint8Array;
  /** N×H×W×C. */
  readonly inputShape: number[];
}

type Layer = { class_name: string; config: Record<string, unknown>; inbound?: string[] };

/** Which weights each class has, from its config and input channels. */
function weightShapes(layer: Layer, channels: number): [string, number[]][] {
  const c = layer.config;
  const k = c.kernel_size as number | number[];
  const [kh, kw] = typeof k === 'number' ? [k, k] : Array.isArray(k) ? k : [1, 1];
  switch (layer.class_name) {
    case 'Conv2D':
      return [
        ['kernel', [kh ?? 1, kw ?? 1, channels, c.filters as number]],
        ...(c.use_bias === false ? [] : [['bias', [c.filters as number]] as [string, number[]]]),
      ];
    case 'Dense':
      return [
        ['kernel', [channels, c.units as number]],
        ['bias', [c.units as number]],
      ];
    case 'BatchNormalization':
      return ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((n) => [n, [channels]]);
    default:
      return [];
  }
}

/**
 * A model.json and weights.bin. `channelsOf` gives each layer's input channel (or feature) count,
 * which the weight shapes need; moving variances are drawn positive.
 */
export function kerasFixture(
  kind: 'Sequential' | 'Functional',
  layers: readonly Layer[],
  channelsOf: Readonly<Record<string, number>>,
  inputShape: number[],
  seed: number,
): KerasFixture {
  const random = seededRandom(seed);
  const weights: KerasFixture['weights'] = {};
  const specs: { name: string; shape: number[]; dtype: string }[] = [];
  for (const layer of layers) {
    const name = layer.config.name as string;
    for (const [w, shape] of weightShapes(layer, channelsOf[name] ?? 0)) {
      const count = shape.reduce((a, b) => a * b, 1);
      const data = Array.from({ length: count }, () =>
        w === 'moving_variance' ? 0.5 + random() : random() * 2 - 1,
      );
      weights[`${name}/${w}`] = { shape, data };
      specs.push({ name: `${name}/${w}`, shape, dtype: 'float32' });
    }
  }
  const bin = new Uint8Array(
    Float32Array.from(specs.flatMap((s) => weights[s.name]?.data ?? [])).buffer,
  );
  const kerasLayers = layers.map((l) =>
    kind === 'Sequential'
      ? { class_name: l.class_name, config: l.config }
      : {
          class_name: l.class_name,
          name: l.config.name,
          config: l.config,
          inbound_nodes: l.inbound === undefined ? [] : [l.inbound.map((s) => [s, 0, 0, {}])],
        },
  );
  const first = layers[0]?.config.name;
  const last = layers.at(-1)?.config.name;
  const config =
    kind === 'Sequential'
      ? { name: 'seq', layers: kerasLayers }
      : {
          name: 'fn',
          layers: kerasLayers,
          input_layers: [[first, 0, 0]],
          output_layers: [[last, 0, 0]],
        };
  return {
    model: {
      format: 'layers-model',
      modelTopology: {
        class_name: kind === 'Sequential' ? 'Sequential' : 'Model',
        config,
        keras_version: '2.15.0',
      },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: specs }],
    },
    weights,
    bin,
    inputShape,
  };
}

const conv = (name: string, filters: number, k: number, extra: Record<string, unknown> = {}) => ({
  class_name: 'Conv2D',
  config: {
    name,
    filters,
    kernel_size: [k, k],
    strides: [1, 1],
    padding: 'valid',
    activation: 'linear',
    use_bias: true,
    ...extra,
  },
});

/**
 * Sequential: Conv2D same (3×3, relu), BatchNormalization, MaxPooling2D, Conv2D same with an even
 * 2×2 kernel (asymmetric padding), Conv2D valid, Activation, Flatten (channels-last order),
 * Dropout, Dense relu, Dense.
 */
export function sequentialFixture(): KerasFixture {
  const layers: Layer[] = [
    { ...conv('c1', 4, 3, { padding: 'same', activation: 'relu' }) },
    {
      class_name: 'BatchNormalization',
      config: { name: 'bn1', axis: -1, epsilon: 0.001, momentum: 0.99 },
    },
    {
      class_name: 'MaxPooling2D',
      config: { name: 'pool1', pool_size: [2, 2], strides: [2, 2], padding: 'valid' },
    },
    conv('c2', 5, 2, { padding: 'same' }),
    conv('c3', 6, 3, { padding: 'valid', strides: [1, 1] }),
    { class_name: 'Activation', config: { name: 'act3', activation: 'relu' } },
    { class_name: 'Flatten', config: { name: 'flat' } },
    { class_name: 'Dropout', config: { name: 'drop', rate: 0.25 } },
    { class_name: 'Dense', config: { name: 'fc1', units: 10, activation: 'relu', use_bias: true } },
    {
      class_name: 'Dense',
      config: { name: 'fc2', units: 3, activation: 'linear', use_bias: true },
    },
  ];
  const first = layers[0];
  if (first) first.config.batch_input_shape = [null, 10, 9, 3];
  // c3: 5×4×5 in → 3×2×6 out; flattened 36.
  return kerasFixture(
    'Sequential',
    layers,
    { c1: 3, bn1: 4, c2: 4, c3: 5, fc1: 36, fc2: 10 },
    [2, 10, 9, 3],
    7,
  );
}

/**
 * Functional with a residual: Conv2D same with stride 2 on an even input (TensorFlow pads 0 before,
 * 1 after), BatchNormalization, ReLU, a branch of Conv2D same + BatchNormalization added back,
 * Activation, MaxPooling2D same on an odd size (ceil windows), Flatten, Dense.
 */
export function functionalFixture(): KerasFixture {
  const layers: Layer[] = [
    {
      class_name: 'InputLayer',
      config: { name: 'image', batch_input_shape: [null, 10, 10, 2], dtype: 'float32' },
    },
    { ...conv('stem', 4, 3, { padding: 'same', strides: [2, 2] }), inbound: ['image'] },
    {
      class_name: 'BatchNormalization',
      config: { name: 'stem_bn', axis: 3, epsilon: 0.001 },
      inbound: ['stem'],
    },
    { class_name: 'ReLU', config: { name: 'stem_relu' }, inbound: ['stem_bn'] },
    { ...conv('branch', 4, 3, { padding: 'same', use_bias: false }), inbound: ['stem_relu'] },
    {
      class_name: 'BatchNormalization',
      config: { name: 'branch_bn', axis: -1, epsilon: 0.01 },
      inbound: ['branch'],
    },
    { class_name: 'Add', config: { name: 'join' }, inbound: ['stem_relu', 'branch_bn'] },
    {
      class_name: 'Activation',
      config: { name: 'join_relu', activation: 'relu' },
      inbound: ['join'],
    },
    {
      class_name: 'MaxPooling2D',
      config: { name: 'pool', pool_size: [2, 2], strides: [2, 2], padding: 'same' },
      inbound: ['join_relu'],
    },
    { class_name: 'Flatten', config: { name: 'flat' }, inbound: ['pool'] },
    { class_name: 'Dropout', config: { name: 'drop', rate: 0.5 }, inbound: ['flat'] },
    {
      class_name: 'Dense',
      config: { name: 'logits', units: 5, activation: 'softmax', use_bias: true },
      inbound: ['drop'],
    },
  ];
  // 10×10 → stem 5×5 → pool 3×3 → 36 features.
  return kerasFixture(
    'Functional',
    layers,
    { stem: 2, stem_bn: 4, branch: 4, branch_bn: 4, logits: 36 },
    [2, 10, 10, 2],
    11,
  );
}
