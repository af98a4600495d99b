import { afterEach, describe, expect, it } from 'vitest';
import { NODE_DEFINITIONS } from '../../src/core/layers/registry.js';
import { LAYER_BUILDERS } from '../../src/engine/model/builders.js';
import { backendFromEnv, selectBackend } from '../../src/engine/selectBackend.js';
import { classMetrics } from '../../src/engine/train/classMetrics.js';
import { learningRateAt } from '../../src/engine/train/schedule.js';

describe('layer builders', () => {
  it('every primitive layer of the catalog has a tfjs builder', () => {
    const layers = NODE_DEFINITIONS.filter((d) => d.kind === 'layer' && d.type !== 'Input').map(
      (d) => d.type,
    );
    expect(layers.filter((t) => LAYER_BUILDERS[t] === undefined)).toEqual([]);
  });
});

describe('learning-rate schedules (torch.optim.lr_scheduler)', () => {
  it('StepLR multiplies by gamma every stepSize epochs', () => {
    const step = { kind: 'step', stepSize: 2, gamma: 0.5 } as const;
    expect([1, 2, 3, 4, 5].map((e) => learningRateAt(step, 0.1, e, 5))).toEqual([
      0.1, 0.1, 0.05, 0.05, 0.025,
    ]);
  });

  it('CosineAnnealingLR starts at lr and approaches minLr', () => {
    const cosine = { kind: 'cosine', minLr: 0.01 } as const;
    expect(learningRateAt(cosine, 0.1, 1, 4)).toBeCloseTo(0.1);
    expect(learningRateAt(cosine, 0.1, 3, 4)).toBeCloseTo(0.055);
    expect(learningRateAt({ kind: 'none' }, 0.1, 3, 4)).toBe(0.1);
  });
});

describe('class metrics', () => {
  it('precision, recall, F1 and support from a confusion matrix (0 where undefined)', () => {
    const { accuracy, perClass } = classMetrics(
      [
        [3, 1, 0],
        [0, 2, 0],
        [1, 0, 0],
      ],
      ['a', 'b', 'c'],
    );
    expect(accuracy).toBeCloseTo(5 / 7);
    expect(perClass[0]).toMatchObject({ precision: 0.75, recall: 0.75, support: 4 });
    expect(perClass[1]!.f1).toBeCloseTo((2 * (2 / 3) * 1) / (2 / 3 + 1));
    expect(perClass[2]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
  });
});

describe('backend selection', () => {
  const saved = process.env.NNB_BACKEND;
  afterEach(() => {
    if (saved === undefined) delete process.env.NNB_BACKEND;
    else process.env.NNB_BACKEND = saved;
  });

  it('NNB_BACKEND forces a backend unless a flag names one; a bad value is explained', () => {
    process.env.NNB_BACKEND = 'cpu';
    expect(backendFromEnv('auto')).toBe('cpu');
    expect(backendFromEnv('wasm')).toBe('wasm');
    process.env.NNB_BACKEND = 'gpu';
    expect(() => backendFromEnv('auto')).toThrow(
      /NNB_BACKEND is "gpu"; use one of auto, tensorflow-gpu, tensorflow, wasm, cpu/,
    );
  });

  it('auto takes the best that loads and says why the better ones did not', async () => {
    delete process.env.NNB_BACKEND;
    const { backend, skipped } = await selectBackend('auto');
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(backend);
    // The native packages cannot be installed on CI machines without libtensorflow.
    if (backend === 'wasm')
      expect(skipped).toEqual(['tensorflow-gpu: not installed', 'tensorflow: not installed']);
    await selectBackend('cpu');
  });

  it('a named backend that cannot load is an error naming the package', async () => {
    delete process.env.NNB_BACKEND;
    await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(
      /tensorflow-gpu backend cannot load.*@tensorflow\/tfjs-node-gpu/,
    );
  });
});
