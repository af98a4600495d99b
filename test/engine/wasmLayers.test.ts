import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { selectBackend } from '../../src/engine/selectBackend.js';
import { LAYER_CASES } from './layerCases.js';
import { maxError, randomInput } from './modelHelpers.js';

/**
 * Training runs on WASM by default, and the WASM backend lacks kernels the CPU backend has (e.g.
 * UnsortedSegmentSum, the gradient of gather). Every compiled layer case must run forward and
 * backward there and agree with the CPU backend.
 */
async function lossAndGradients(
  backend: string,
  graph: GraphDocument,
  seed: number,
): Promise<number[]> {
  await tf.setBackend(backend);
  const model = CompiledModel.compile(graph, seed);
  const { ours } = randomInput(model.inputShape, 2, seed);
  const ctx = () => ({ training: true, nextSeed: () => 1, updates: [] });
  const result = tf.tidy(() => {
    // Σ y² makes every output element matter; the input gradient covers weightless layers.
    const loss = (x: tf.Tensor) => tf.sum(tf.square(model.apply(x, ctx()))) as tf.Scalar;
    const inputGrad = tf.grad(loss)(ours);
    const variables = model.trainableVariables();
    const grads = variables.length > 0 ? tf.variableGrads(() => loss(ours), variables).grads : {};
    return [
      ...loss(ours).dataSync(),
      ...inputGrad.dataSync(),
      ...variables.flatMap((v) => Array.from(grads[v.name]!.dataSync())),
    ];
  });
  model.dispose();
  ours.dispose();
  return result;
}

describe('every layer case trains on WASM as on CPU', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each(LAYER_CASES.map(([name, graph], i) => [name, graph, i] as const))(
    '%s',
    async (_name, graph, i) => {
      const cpu = await lossAndGradients('cpu', graph, i);
      const wasm = await lossAndGradients('wasm', graph, i);
      expect(wasm).toHaveLength(cpu.length);
      expect(maxError(wasm, cpu)).toBeLessThan(1e-4);
    },
  );
});
