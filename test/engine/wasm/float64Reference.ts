// Shared by gradientsFloat64.test.ts and resnetGradientSweep.ts: ResNet-20's gradients on a tfjs
// backend and in PyTorch (float64, plus its own float32) for the same weights and batch.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPythonCases } from '../torchReference.js';
import type { GraphDocument } from '../../../src/core/graph/document.js';
import type { CompiledModel } from '../../../src/engine/model/CompiledModel.js';
import { outputKind } from '../../../src/engine/train/loss.js';
import { computeGradients, disposeGradients } from '../../../src/engine/train/trainStep.js';

const SCRIPT = join(import.meta.dirname, 'torch_gradients64.py');
const TEMPLATE = join(import.meta.dirname, '../../../templates/resnet-cifar.nnb.json');

/** One batch for torch_gradients64.py, weights and input in PyTorch's layout. */
export interface Float64Case {
  readonly graph: GraphDocument;
  readonly weights: Record<string, { shape: number[]; data: number[] }>;
  readonly input: { shape: number[]; data: number[] };
  readonly labels: number[];
  /** Also PyTorch's own float32 gradients. */
  readonly float32?: boolean;
}

export interface Float64Result {
  readonly loss: number;
  /** By our weight keys, in PyTorch's layout. */
  readonly grads: Record<string, number[]>;
  /** The smallest |input| of any ReLU in the float64 pass. */
  readonly reluMargin: number;
  /** PyTorch's own float32 loss and gradients (cases with `float32`). */
  readonly float32?: { readonly loss: number; readonly grads: Record<string, number[]> };
}

/** Runs every case through torch_gradients64.py in one python process. */
export function runFloat64(cases: readonly Float64Case[]): Float64Result[] {
  return runPythonCases<Float64Result>(SCRIPT, cases);
}

/** The ResNet-20 template as shipped, on side×side images (the pool before fc takes any size). */
export function resnet20(side: number): GraphDocument {
  const graph = JSON.parse(readFileSync(TEMPLATE, 'utf8')) as GraphDocument;
  return {
    ...graph,
    nodes: graph.nodes.map((n) =>
      n.type === 'Input' ? { ...n, params: { ...n.params, shape: [3, side, side] } } : n,
    ),
  };
}

/**
 * Loss and gradients of the mean cross-entropy on the current backend, computed as training does
 * (computeGradients: training mode, BatchNorm on batch statistics), in PyTorch's layout by key.
 */
export function torchLayoutGradients(
  model: CompiledModel,
  x: tf.Tensor,
  labels: readonly number[],
): { loss: number; grads: Map<string, Float32Array> } {
  const y = tf.tensor1d([...labels], 'int32');
  const g = computeGradients(
    {
      model,
      variables: model.trainableVariables(),
      loss: 'cross-entropy',
      kind: outputKind(model.outputType),
      nextSeed: () => 1,
    },
    x,
    y,
  );
  const grads = new Map<string, Float32Array>();
  model.weights
    .filter((w) => w.trainable)
    .forEach((w, k) => {
      const perm =
        w.spec.layout === 'conv' ? [3, 2, 0, 1] : w.spec.layout === 'linear' ? [1, 0] : null;
      const data = tf.tidy(() => {
        const t = g.grads[k]!;
        return (perm ? tf.transpose(t, perm) : t).dataSync() as Float32Array;
      });
      grads.set(w.key, data);
    });
  const loss = g.value.dataSync()[0]!;
  disposeGradients(g);
  y.dispose();
  return { loss, grads };
}

/** Largest |a − b| and largest |b| (the reference's scale); Infinity for NaN or a length mismatch. */
export function maxDiff(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): { err: number; scale: number } {
  let err = a.length === b.length ? 0 : Infinity;
  let scale = 0;
  for (let j = 0; j < b.length; j++) {
    const d = Math.abs(a[j]! - b[j]!);
    err = Number.isNaN(d) ? Infinity : Math.max(err, d);
    scale = Math.max(scale, Math.abs(b[j]!));
  }
  return { err, scale };
}
