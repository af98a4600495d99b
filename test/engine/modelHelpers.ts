import * as tf from '@tensorflow/tfjs';
import type {
  GraphDocument,
  GraphEdge,
  GraphNode,
  ParamValue,
} from '../../src/core/graph/document.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { exportTorchWeights, importTorchWeights } from '../../src/engine/model/torchWeights.js';
import { fromTorchOrder } from '../../src/engine/model/layout.js';
import { Random } from '../../src/engine/random.js';

/** Input → layers… in a chain; each layer is [type, params]. */
export function chainGraph(
  input: readonly number[],
  ...layers: readonly (readonly [string, Record<string, ParamValue>?])[]
): GraphDocument {
  const nodes: GraphNode[] = [{ id: 'input', type: 'Input', params: { shape: [...input] } }];
  layers.forEach(([type, params], i) => nodes.push({ id: `l${i}`, type, params: params ?? {} }));
  return {
    format: 'nnb-graph',
    version: 1,
    nodes,
    edges: nodes.slice(1).map((n, i) => ({ source: nodes[i]!.id, target: n.id })),
  };
}

/**
 * A squeeze-excitation graph: input → `conv` (4 channels, 3×3, pad 1) → `pool` (global average)
 * → `fc` (1×1 conv) → `gate` (Hardsigmoid), and `scale` = gate (port 0) × conv's map (port 1);
 * `tail` adds the nodes and edges after it.
 */
export function squeezeExcitation(input: readonly number[], tail: GraphTail): GraphDocument {
  return withTail(
    input,
    [
      { id: 'conv', type: 'Conv2d', params: { out_channels: 4, kernel_size: 3, padding: 1 } },
      { id: 'pool', type: 'AdaptiveAvgPool2d', params: { output_size: 1 } },
      { id: 'fc', type: 'Conv2d', params: { out_channels: 4, kernel_size: 1 } },
      { id: 'gate', type: 'Hardsigmoid' },
      { id: 'scale', type: 'Multiply' },
    ],
    [
      { source: 'x', target: 'conv' },
      { source: 'conv', target: 'pool' },
      { source: 'pool', target: 'fc' },
      { source: 'fc', target: 'gate' },
      { source: 'gate', target: 'scale', targetPort: 0 },
      { source: 'conv', target: 'scale', targetPort: 1 },
    ],
    tail,
  );
}

/** Nodes and edges added after a test graph's own. */
type GraphTail = { readonly nodes: readonly GraphNode[]; readonly edges: readonly GraphEdge[] };

/** A graph from input `x` of this shape, its nodes and edges, then the tail's. */
function withTail(
  input: readonly number[],
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  tail: GraphTail,
): GraphDocument {
  return {
    format: 'nnb-graph',
    version: 1,
    nodes: [{ id: 'x', type: 'Input', params: { shape: [...input] } }, ...nodes, ...tail.nodes],
    edges: [...edges, ...tail.edges],
  };
}

/**
 * Gives every per-channel tensor (biases, BatchNorm weights and statistics; variances positive,
 * counters left alone) a random value, so a comparison exercises BatchNorm too, not just its
 * initial 0s and 1s. Conv/Linear weights keep their (random, fan-in scaled) initial values.
 */
export function randomizeWeights(model: CompiledModel, seed: number): void {
  const random = new Random(seed);
  for (const w of model.weights) {
    if (w.spec.name === 'num_batches_tracked' || w.spec.layout !== 'vector') continue;
    const data = new Float32Array(w.variable.size);
    for (let i = 0; i < data.length; i++) {
      const u = random.next();
      data[i] = w.spec.name === 'running_var' ? 0.5 + u : (u * 2 - 1) * 0.5;
    }
    w.variable.assign(tf.tensor(data, w.variable.shape));
  }
}

/** A random batch in PyTorch order (NCHW / N×F) as plain data, and the same batch in ours. */
export function randomInput(
  shape: readonly number[],
  n: number,
  seed: number,
): { torch: { shape: number[]; data: number[] }; ours: tf.Tensor } {
  const random = new Random(seed);
  const full = [n, ...shape];
  const data = Array.from({ length: full.reduce((a, b) => a * b, 1) }, () => random.next() * 2 - 1);
  const ours = tf.tidy(() => fromTorchOrder(tf.tensor(data, full)));
  return { torch: { shape: full, data }, ours };
}

/**
 * A graph compiled on the active backend (weights from seed 1, randomized from seed 2), its
 * training-mode output on a batch of 4 (seed 3) and the gradients of Σ output² for every trainable
 * weight: [Σ output², ...gradients] as data, and the kernels that ran.
 */
export async function trainingPassOf(
  graph: GraphDocument,
  inputShape: readonly number[],
): Promise<{ values: Float32Array[]; kernels: Awaited<ReturnType<typeof tf.profile>>['kernels'] }> {
  const model = CompiledModel.compile(graph, 1);
  randomizeWeights(model, 2);
  const { ours } = randomInput(inputShape, 4, 3);
  const vars = model.weights.filter((w) => w.trainable).map((w) => w.variable);
  const profile = await tf.profile(() =>
    tf.tidy(() => {
      const ctx = { training: true, nextSeed: () => 0, updates: [] };
      const f = () => tf.sum(tf.square(model.apply(ours, ctx))) as tf.Scalar;
      const { value, grads } = tf.variableGrads(f, vars);
      tf.dispose(ctx.updates.map((u: { value: tf.Tensor }) => u.value));
      return [value, ...vars.map((v) => grads[v.name]!)];
    }),
  );
  const list = profile.result as tf.Tensor[];
  const values = await Promise.all(list.map(async (t) => new Float32Array(await t.data())));
  tf.dispose([...list, ours]);
  model.dispose();
  return { values, kernels: profile.kernels };
}

/** The model's weights as the JSON the PyTorch script reads. */
export function weightsJson(
  model: CompiledModel,
): Record<string, { shape: number[]; data: number[] }> {
  const out: Record<string, { shape: number[]; data: number[] }> = {};
  for (const [key, t] of exportTorchWeights(model))
    out[key] = { shape: t.shape, data: Array.from(t.data) };
  return out;
}

/** Largest |a − b| / (1 + |b|): absolute near 0, relative for large values. */
export function maxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  }
  return a.length === b.length ? worst : Infinity;
}

/** Our layout → PyTorch's axis permutation (see TorchLayout). */
function torchPerm(layout: string, rank: number): number[] | null {
  if (layout === 'conv' && rank === 4) return [3, 2, 0, 1];
  if (layout === 'linear' && rank === 2) return [1, 0];
  return null;
}

/**
 * Sets every weight to scale·sin(0.7·i + offset(key)) over its PyTorch layout, the formula
 * torch_forward.py's formula_weight computes too: models too big to send as JSON (ResNet-18,
 * AlexNet) get identical weights on both sides.
 */
export function formulaWeights(model: CompiledModel): void {
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const w of model.weights) {
    const perm = torchPerm(w.spec.layout, w.variable.rank);
    const shape = perm ? perm.map((p) => w.variable.shape[p]!) : w.variable.shape.slice();
    const n = w.variable.size;
    const data = new Float32Array(n);
    if (w.spec.name !== 'num_batches_tracked') {
      let offset = 0;
      for (const ch of w.key) offset += ch.charCodeAt(0);
      offset %= 97;
      const scale =
        w.spec.name === 'weight' && shape.length >= 2 ? 1 / Math.sqrt(n / shape[0]!) : 0.1;
      for (let i = 0; i < n; i++) {
        const wave = Math.sin(i * 0.7 + offset);
        data[i] = w.spec.name === 'running_var' ? 1 + 0.5 * wave : scale * wave;
      }
    }
    weights.set(w.key, { shape, data });
  }
  importTorchWeights(model, weights);
}

/**
 * A ShuffleNet v2 unit on an 8-channel map: `keep` = channels 0–3 passed on, `branch` = channels
 * 4–7 through a 1×1 conv and Tanh, `cat` joins them, `shuffle` interleaves the two groups; `tail`
 * adds the nodes and edges after it.
 */
export function shuffleUnit(input: readonly number[], tail: GraphTail): GraphDocument {
  return withTail(
    input,
    [
      { id: 'conv', type: 'Conv2d', params: { out_channels: 8, kernel_size: 3, padding: 1 } },
      { id: 'keep', type: 'Slice', params: { start: 0, end: 4 } },
      { id: 'part', type: 'Slice', params: { start: 4, end: 8 } },
      { id: 'branch', type: 'Conv2d', params: { out_channels: 4, kernel_size: 1 } },
      { id: 'act', type: 'Tanh' },
      { id: 'cat', type: 'Concat' },
      { id: 'shuffle', type: 'ChannelShuffle', params: { groups: 2 } },
    ],
    [
      { source: 'x', target: 'conv' },
      { source: 'conv', target: 'keep' },
      { source: 'conv', target: 'part' },
      { source: 'part', target: 'branch' },
      { source: 'branch', target: 'act' },
      { source: 'keep', target: 'cat', targetPort: 0 },
      { source: 'act', target: 'cat', targetPort: 1 },
      { source: 'cat', target: 'shuffle' },
    ],
    tail,
  );
}
