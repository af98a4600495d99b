// A bias add and the ReLU after it as one op (src/engine/model/biasRelu.ts, the wasm kernel in
// src/engine/wasm/biasRelu.ts): its values are tfjs' Add + Relu on the CPU backend to the bit, its
// gradients (input and bias) theirs within float32 summation order, and a compiled LeNet-5 trains
// through it: every conv and Linear read only by a ReLU runs as the one op.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGraphJson } from '../../../src/core/graph/parseGraph.js';
import { biasRelu } from '../../../src/engine/model/biasRelu.js';
import { CompiledModel } from '../../../src/engine/model/CompiledModel.js';
import { BIAS_RELU } from '../../../src/engine/wasm/biasRelu.js';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

beforeAll(initBackends);

const t = (shape: number[], seed: number): tf.Tensor => {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(seeded(size, seed), shape);
};

// Maps with 6 (LeNet's conv1: a 12-float period), 16 and 7 channels, Linear outputs of 10 and
// 130 features, shapes whose size is no whole number of periods (floats done in JS).
const SHAPES = [
  [4, 7, 9, 6],
  [2, 5, 5, 16],
  [3, 4, 5, 7],
  [32, 10],
  [3, 130],
  [2, 1, 1, 6],
];

describe('bias + ReLU as one op', () => {
  it.each(SHAPES)('%j: forward equals Add + Relu on the CPU backend, bit for bit', async (...s) => {
    const c = s[s.length - 1]!;
    const cpu = await runOn('cpu', () => tf.relu(tf.add(t(s, 1), t([c], 2))));
    const wasm = await runOn('wasm', () => biasRelu(t(s, 1), t([c], 2)));
    const differ = cpu[0]!.filter((v, i) => v !== wasm[0]![i]).length;
    expect(differ).toBe(0);
  });

  it.each(SHAPES)('%j: gradients of x and bias equal the CPU ops', async (...s) => {
    const c = s[s.length - 1]!;
    const grads = (f: (x: tf.Tensor, b: tf.Tensor) => tf.Tensor) => () => {
      const dy = t(s, 3);
      return tf.grads((x: tf.Tensor, b: tf.Tensor) => tf.mul(f(x, b), dy))([t(s, 1), t([c], 2)]);
    };
    const cpu = await runOn(
      'cpu',
      grads((x, b) => tf.relu(tf.add(x, b))),
    );
    const wasm = await runOn('wasm', grads(biasRelu));
    expect(scaledMaxError(wasm[0]!, cpu[0]!)).toBe(0);
    expect(scaledMaxError(wasm[1]!, cpu[1]!)).toBeLessThan(1e-6);
  });

  it('without a bias: relu with the fused gradient', async () => {
    const s = [3, 4, 4, 5];
    const run = (f: (x: tf.Tensor) => tf.Tensor) => () =>
      tf.grad((x: tf.Tensor) => tf.mul(f(x), t(s, 3)))(t(s, 1));
    const cpu = await runOn('cpu', run(tf.relu));
    const wasm = await runOn(
      'wasm',
      run((x) => biasRelu(x, undefined)),
    );
    expect(scaledMaxError(wasm[0]!, cpu[0]!)).toBe(0);
  });

  it('is what a compiled LeNet-5 runs for its convs and Linears in training', async () => {
    await tf.setBackend('wasm');
    const parsed = parseGraphJson(readFileSync('templates/lenet-5.nnb.json', 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    const model = CompiledModel.compile(parsed.graph, 0);
    const x = t([2, 28, 28, 1], 4);
    const profile = await tf.profile(() => {
      const y = model.apply(x, { training: true, nextSeed: () => 0, updates: [] });
      y.dispose();
    });
    const names = profile.kernels.map((k) => k.name);
    // conv1, conv2, fc1, fc2 are each read by a ReLU alone; fc3 is the output.
    expect(names.filter((n) => n === BIAS_RELU)).toHaveLength(4);
    expect(names.filter((n) => n === 'Relu')).toHaveLength(0);
    x.dispose();
    model.dispose();
  });
});
