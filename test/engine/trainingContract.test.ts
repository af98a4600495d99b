import { describe, expect, it } from 'vitest';
import {
  defaultOptimizer,
  ImageInputSchema,
  OPTIMIZER_NAMES,
  parseTrainConfig,
  TrainEventSchema,
} from '../../src/api/training.js';

describe('training contract', () => {
  it('an empty config is Adam on the digits with every default filled in', () => {
    const parsed = parseTrainConfig({});
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.config.dataset).toEqual({ kind: 'digits' });
    expect(parsed.config.optimizer).toEqual({
      name: 'adam',
      lr: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
      weightDecay: 0,
    });
    expect(parsed.config.earlyStopping).toBeNull();
    expect(parsed.config.backend).toBe('auto');
  });

  it('optimizer defaults are PyTorch’s', () => {
    expect(defaultOptimizer('sgd')).toMatchObject({ lr: 0.01, momentum: 0, nesterov: false });
    expect(defaultOptimizer('adamw')).toMatchObject({ lr: 0.001, weightDecay: 0.01 });
    expect(defaultOptimizer('rmsprop')).toMatchObject({ lr: 0.01, alpha: 0.99 });
    expect(defaultOptimizer('adagrad')).toMatchObject({ lr: 0.01, epsilon: 1e-10 });
    expect(OPTIMIZER_NAMES.map((n) => defaultOptimizer(n).name)).toEqual([...OPTIMIZER_NAMES]);
  });

  it('names each wrong field with its path', () => {
    const parsed = parseTrainConfig({ batchSize: 0, optimizer: { name: 'lion' } });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.some((p) => p.startsWith('batchSize:'))).toBe(true);
    expect(parsed.problems.some((p) => p.startsWith('optimizer'))).toBe(true);
  });

  it('validates events and images at the boundary', () => {
    expect(TrainEventSchema.safeParse({ type: 'resumed', runId: 'r1' }).success).toBe(true);
    expect(TrainEventSchema.safeParse({ type: 'resumed' }).success).toBe(false);
    const image = { width: 2, height: 2, channels: 1, data: new Uint8Array(4) };
    expect(ImageInputSchema.safeParse(image).success).toBe(true);
    expect(ImageInputSchema.safeParse({ ...image, data: new Uint8Array(3) }).success).toBe(false);
  });
});
