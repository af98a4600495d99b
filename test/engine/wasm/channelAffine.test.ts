// An evaluation-mode BatchNorm (and the ReLU after it) as one wasm pass, y = x·scale + shift
// (src/engine/wasm/biasRelu.ts, NnbChannelAffine; used by src/engine/model/normBuilders.ts): the
// kernel's values are the CPU backend's Mul + Add (+ Relu) to the bit, and a compiled ResNet-20
// evaluates through it — every BatchNorm one kernel, no ReLU of its own — to the CPU ops' output.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CompiledModel } from '../../../src/engine/model/CompiledModel.js';
import { CHANNEL_AFFINE } from '../../../src/engine/wasm/biasRelu.js';
import { randomizeWeights } from '../modelHelpers.js';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';
import { resnet20 } from './float64Reference.js';

beforeAll(initBackends);

const t = (shape: number[], seed: number): tf.Tensor => {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(seeded(size, seed), shape);
};

// 16 channels (one 4-vector period each… of 16 floats), 6 (a 12-float period), 7, 64, [N, F]
// features, and sizes that end inside a period (floats done in JS).
const SHAPES = [
  [2, 8, 8, 16],
  [4, 7, 9, 6],
  [3, 4, 5, 7],
  [2, 3, 3, 64],
  [5, 130],
  [2, 1, 1, 6],
];

describe('an evaluation-mode BatchNorm as one kernel', () => {
  it.each(SHAPES.flatMap((s) => [false, true].map((relu) => [s, relu] as const)))(
    '%j, relu %s: equals Mul + Add (+ Relu) on the CPU backend, bit for bit',
    async (s, relu) => {
      const c = s[s.length - 1]!;
      const ops = () => {
        const y = tf.add(tf.mul(t([...s], 1), t([c], 2)), t([c], 3));
        return relu ? tf.relu(y) : y;
      };
      const cpu = await runOn('cpu', ops);
      const wasm = await runOn(
        'wasm',
        () =>
          tf.engine().runKernel(
            CHANNEL_AFFINE,
            { x: t([...s], 1), scale: t([c], 2), shift: t([c], 3) },
            {
              relu,
            },
          ) as tf.Tensor,
      );
      const differ = cpu[0]!.filter((v, i) => !Object.is(v, wasm[0]![i])).length;
      expect(differ).toBe(0);
    },
  );

  it('is what a compiled ResNet-20 evaluates with, to the CPU ops’ output', async () => {
    await tf.setBackend('wasm');
    const graph = resnet20(8);
    // The stem's, two in each of the 9 residual blocks, and the 2 projections'.
    const batchNorms = 21;
    const model = CompiledModel.compile(graph, 3);
    randomizeWeights(model, 5);
    const input = () => t([4, 8, 8, 3], 6);
    const evaluate = () =>
      model.apply(input(), { training: false, nextSeed: () => 0, updates: [] });
    const profile = await tf.profile(() => {
      const y = evaluate();
      y.dispose();
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names.filter((n) => n === CHANNEL_AFFINE)).toHaveLength(batchNorms);
    // No map-sized element-wise op of its own (the [C] vectors take a few small ones).
    const mapOps = profile.kernels.filter(
      (k) =>
        ['Relu', 'Sub', 'Multiply', 'Add'].includes(k.name) &&
        k.outputShapes.some((shape) => shape.length === 4),
    );
    expect(mapOps.map((k) => k.name)).toEqual([]);
    const wasm = await runOn('wasm', evaluate);
    const cpu = await runOn('cpu', evaluate);
    expect(scaledMaxError(wasm[0]!, cpu[0]!)).toBeLessThan(1e-5);
    model.dispose();
  });
});
