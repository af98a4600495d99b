// FlatAdam must take the same steps as the engine's TorchOptimizer (torch.optim semantics).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultOptimizer, type Optimizer } from '../../../src/api/training.js';
import { FlatAdamOptimizer } from '../../../src/engine/train/FlatAdamOptimizer.js';
import { createOptimizer, type StepOptimizer } from '../../../src/engine/train/StepOptimizer.js';
import { TorchOptimizer } from '../../../src/engine/train/TorchOptimizer.js';
import { FlatAdam } from '../../../src/engine/wasm/FlatAdam.js';
import { scaledMaxError, seeded } from './backendCompare.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const CONFIGS: [string, Optimizer][] = [
  ['Adam', { ...defaultOptimizer('adam'), lr: 0.01 }],
  ['Adam with L2 weight decay', { ...defaultOptimizer('adam'), lr: 0.01, weightDecay: 0.1 }],
  [
    'AdamW',
    { name: 'adamw', lr: 0.01, beta1: 0.8, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.05 },
  ],
];

describe.each(CONFIGS)('FlatAdam: %s', (_name, config) => {
  it('matches TorchOptimizer over 6 steps with a changing learning rate', () => {
    const shapes = [[3, 4], [5], [2, 2, 2]];
    const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
    const total = sizes.reduce((a, b) => a + b, 0);
    const start = seeded(total, 50);
    const variables = shapes.map((shape, i) => {
      const offset = sizes.slice(0, i).reduce((a, b) => a + b, 0);
      return tf.variable(tf.tensor(start.slice(offset, offset + sizes[i]!), shape));
    });
    const reference = new TorchOptimizer(config, variables);
    if (!FlatAdam.supports(config)) throw new Error('test config must be Adam/AdamW');
    const flat = new FlatAdam(config, total);
    const params = start.slice();
    for (let step = 0; step < 6; step++) {
      const lr = 0.01 / (step + 1);
      const grads = seeded(total, 60 + step);
      flat.step(params, grads, lr);
      let offset = 0;
      const tensors = shapes.map((shape, i) => {
        const t = tf.tensor(grads.slice(offset, offset + sizes[i]!), shape);
        offset += sizes[i]!;
        return t;
      });
      reference.step(tensors, lr);
      tf.dispose(tensors);
    }
    const expected = new Float32Array(total);
    let offset = 0;
    for (const v of variables) {
      expected.set(v.dataSync(), offset);
      offset += v.size;
    }
    expect(scaledMaxError(params, expected)).toBeLessThan(1e-6);
    expect(scaledMaxError(params, start)).toBeGreaterThan(1e-3);
    reference.dispose();
    tf.dispose(variables);
  });
});

describe.each(CONFIGS)('FlatAdam kernel: %s', (_name, config) => {
  if (!FlatAdam.supports(config)) throw new Error('test config must be Adam/AdamW');
  // Odd, so the kernel's last pair holds a padding lane; values over many magnitudes.
  const SIZE = 1001;
  const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
  const start = seeded(SIZE, 90).map((x, i) => x * 10 ** ((i % 7) - 3));
  const run = (adam: FlatAdam, fused: boolean) => {
    const params = start.slice();
    for (let step = 0; step < 6; step++) {
      const a = seeded(SIZE, 100 + step).map((x, i) => x * 10 ** ((i % 5) - 2));
      const b = seeded(SIZE, 200 + step);
      const [wa, wb] = step % 2 === 0 ? [0.5, 0.5] : [13 / 24, 11 / 24];
      const lr = 0.01 / (step + 1);
      if (fused) {
        adam.stepMean(params, a, wa, b, wb, lr);
      } else {
        // The mean as DataParallelTrainer forms it without stepMean: rounded to float32 first.
        adam.step(
          params,
          a.map((x, i) => wa * x + wb * b[i]!),
          lr,
        );
      }
    }
    return { params, m: adam.m, v: adam.v };
  };

  it('gives the JavaScript loop’s bits, with the mean formed inside or before', () => {
    const simd = new FlatAdam(config, SIZE);
    expect(simd.usesSimd).toBe(true);
    const scalar = new FlatAdam(config, SIZE, true);
    expect(scalar.usesSimd).toBe(false);
    const formedFirst = new FlatAdam(config, SIZE);
    const results = [run(simd, true), run(scalar, true), run(formedFirst, false)];
    const [reference] = results;
    for (const r of results.slice(1)) {
      for (const key of ['params', 'm', 'v'] as const)
        expect(bits(r[key]), key).toEqual(bits(reference![key]));
    }
    // Every parameter moved (the padding lane aside, nothing is left out).
    expect(reference!.params.every((x, i) => x !== start[i])).toBe(true);
  });
});

it('FlatAdam declines the optimizers it does not implement', () => {
  expect(FlatAdam.supports(defaultOptimizer('sgd'))).toBe(false);
  expect(FlatAdam.supports(defaultOptimizer('rmsprop'))).toBe(false);
  expect(FlatAdam.supports(defaultOptimizer('adamw'))).toBe(true);
});

describe("FlatAdamOptimizer (the training loop's Adam)", () => {
  const config = {
    name: 'adamw',
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    weightDecay: 0.01,
  } as const;
  const shapes = [[3, 4], [5]];
  const makeVariables = () =>
    shapes.map((shape, i) =>
      tf.variable(
        tf.tensor(
          seeded(
            shape.reduce((a, b) => a * b, 1),
            70 + i,
          ),
          shape,
        ),
      ),
    );
  const gradsAt = (step: number) =>
    shapes.map((shape, i) =>
      tf.tensor(
        seeded(
          shape.reduce((a, b) => a * b, 1),
          80 + 10 * step + i,
        ),
        shape,
      ),
    );
  const values = (vs: tf.Variable[]) => Float32Array.from(vs.flatMap((v) => [...v.dataSync()]));

  it('saves state TorchOptimizer resumes from, and resumes from TorchOptimizer state', () => {
    // Reference: 6 uninterrupted TorchOptimizer steps.
    const refVars = makeVariables();
    const reference = new TorchOptimizer(config, refVars);
    for (let k = 0; k < 6; k++) {
      const g = gradsAt(k);
      reference.step(g, config.lr);
      tf.dispose(g);
    }
    // 2 FlatAdam steps → state → TorchOptimizer 2 steps → state → FlatAdam 2 steps.
    const vars = makeVariables();
    const runSteps = (opt: StepOptimizer, from: number) => {
      for (let k = from; k < from + 2; k++) {
        const g = gradsAt(k);
        opt.step(g, config.lr);
        tf.dispose(g);
      }
    };
    const first = new FlatAdamOptimizer(config, vars);
    runSteps(first, 0);
    const second = new TorchOptimizer(config, vars);
    second.load(first.state(), first.steps);
    runSteps(second, 2);
    const third = new FlatAdamOptimizer(config, vars);
    third.load(second.state(), second.steps);
    expect(third.steps).toBe(4);
    runSteps(third, 4);
    expect(scaledMaxError(values(vars), values(refVars))).toBeLessThan(1e-5);
    // state() hands out new tensors; disposing them leaves the optimizer intact.
    const before = tf.memory().numTensors;
    tf.dispose([...third.state().values(), ...second.state().values()]);
    expect(tf.memory().numTensors).toBe(before);
    for (const o of [reference, first, second, third]) o.dispose();
    tf.dispose([...refVars, ...vars]);
  });

  it('reads back a weight assigned elsewhere between steps, and reports the weights', () => {
    const vars = makeVariables();
    const refVars = makeVariables();
    const flat = new FlatAdamOptimizer(config, vars);
    const reference = new TorchOptimizer(config, refVars);
    for (let k = 0; k < 3; k++) {
      if (k === 2) {
        // As a resume or a BatchNorm update would: a new value for one variable.
        for (const v of [vars[1]!, refVars[1]!]) {
          const t = tf.fill([5], 0.25);
          v.assign(t);
          t.dispose();
        }
      }
      const g = gradsAt(k);
      flat.step(g, config.lr);
      reference.step(g, config.lr);
      tf.dispose(g);
    }
    expect(scaledMaxError(values(vars), values(refVars))).toBeLessThan(1e-5);
    expect(scaledMaxError(flat.weights(), values(vars))).toBe(0);
    expect(scaledMaxError(reference.weights(), values(refVars))).toBe(0);
    flat.dispose();
    reference.dispose();
    tf.dispose([...vars, ...refVars]);
  });

  it('createOptimizer picks FlatAdam for Adam and AdamW only', () => {
    const vars = makeVariables();
    expect(createOptimizer(defaultOptimizer('adam'), vars)).toBeInstanceOf(FlatAdamOptimizer);
    expect(createOptimizer(defaultOptimizer('adamw'), vars)).toBeInstanceOf(FlatAdamOptimizer);
    const sgd = createOptimizer(defaultOptimizer('sgd'), vars);
    expect(sgd).toBeInstanceOf(TorchOptimizer);
    sgd.dispose();
    tf.dispose(vars);
  });
});
