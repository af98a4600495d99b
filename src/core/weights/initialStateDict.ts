import type { GraphAnalysis } from '../analysis/analyze.js';
import { layerTensors } from './layerTensors.js';
import type { StateDict, TensorSpec, WeightTensor } from './StateDict.js';

/** mulberry32: a small, fast, seedable PRNG with good statistical quality for initialization. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Initial weights with PyTorch's default initialization distributions (Conv/Linear:
 * kaiming_uniform(a=√5) ⇒ U(−1/√fan_in, 1/√fan_in) for weight and bias; BatchNorm: weight 1,
 * bias 0, running mean 0, running var 1), drawn from a seeded generator: the same graph and seed
 * give the same weights in every format.
 */
export function initialStateDict(analysis: GraphAnalysis, seed: number): StateDict {
  const random = seededRandom(seed);
  const state = new Map<string, WeightTensor>();
  for (const layer of analysis.layers) {
    for (const spec of layerTensors(layer)) {
      state.set(`${layer.id}.${spec.name}`, initialTensor(spec, random));
    }
  }
  return state;
}

function initialTensor(spec: TensorSpec, random: () => number): WeightTensor {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  if (spec.role === 'batches-tracked')
    return { shape: spec.shape, dtype: 'int64', data: new Float64Array(1) };
  const data = new Float32Array(size);
  if (spec.role === 'weight' || spec.role === 'bias') {
    const bound = spec.fanIn > 0 ? 1 / Math.sqrt(spec.fanIn) : 0;
    for (let i = 0; i < size; i++) data[i] = (2 * random() - 1) * bound;
  } else if (spec.role === 'bn-weight' || spec.role === 'running-var') {
    data.fill(1);
  }
  return { shape: spec.shape, dtype: 'float32', data };
}
