// FlatAdam must take the same steps as the engine's TorchOptimizer (torch.optim semantics).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultOptimizer, type Optimizer } from '../../../src/api/training.js';
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

it('FlatAdam declines the optimizers it does not implement', () => {
  expect(FlatAdam.supports(defaultOptimizer('sgd'))).toBe(false);
  expect(FlatAdam.supports(defaultOptimizer('rmsprop'))).toBe(false);
  expect(FlatAdam.supports(defaultOptimizer('adamw'))).toBe(true);
});
