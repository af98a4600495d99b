import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { parseGraphJson } from '../../src/core/graph/parseGraph.js';
import { initialStateDict } from '../../src/core/weights/initialStateDict.js';
import { layerTensors } from '../../src/core/weights/layerTensors.js';

const ROOT = join(import.meta.dirname, '..', '..');
const files = [
  ...readdirSync(join(ROOT, 'templates'))
    .filter((f) => f.endsWith('.nnb.json'))
    .map((f) => join('templates', f)),
  ...readdirSync(join(ROOT, 'test/oracle/fixtures')).map((f) => join('test/oracle/fixtures', f)),
];
const load = (file: string) => {
  const parsed = parseGraphJson(readFileSync(join(ROOT, file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return analyze(parsed.graph);
};

describe('layer tensors (PyTorch state_dict layout)', () => {
  it.each(files)('%s: every layer owns exactly its counted parameters and buffers', (file) => {
    for (const layer of load(file).layers) {
      const tensors = layerTensors(layer);
      const size = (trainable: boolean) =>
        tensors
          .filter((t) => t.trainable === trainable)
          .reduce((s, t) => s + t.shape.reduce((a, b) => a * b, 1), 0);
      expect([size(true), size(false)], layer.id).toEqual([layer.params, layer.buffers]);
    }
  });
});

describe('initialStateDict', () => {
  const analysis = load('templates/lenet-5.nnb.json');

  it('draws PyTorch default distributions from the seed, reproducibly', () => {
    const a = initialStateDict(analysis, 7);
    const b = initialStateDict(analysis, 7);
    const c = initialStateDict(analysis, 8);
    expect([...a.keys()]).toEqual([
      'conv1.weight',
      'conv1.bias',
      'conv2.weight',
      'conv2.bias',
      'fc1.weight',
      'fc1.bias',
      'fc2.weight',
      'fc2.bias',
      'fc3.weight',
      'fc3.bias',
    ]);
    expect(a.get('conv1.weight')?.shape).toEqual([6, 1, 5, 5]);
    expect(a.get('fc1.weight')?.shape).toEqual([120, 400]);
    expect(a.get('fc1.weight')?.data).toEqual(b.get('fc1.weight')?.data);
    expect(a.get('fc1.weight')?.data).not.toEqual(c.get('fc1.weight')?.data);
    const w = a.get('fc1.weight')?.data ?? new Float32Array();
    const bound = 1 / Math.sqrt(400);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    expect(Math.max(...w)).toBeGreaterThan(0.95 * bound); // uniform over the whole range
    const mean = Array.from(w).reduce((s, x) => s + x, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.01 * bound * 10);
  });

  it('initializes BatchNorm as PyTorch: weight 1, bias 0, running var 1', () => {
    const state = initialStateDict(load('templates/resnet-18.nnb.json'), 0);
    expect([...(state.get('layer1_0/bn1.weight')?.data ?? [])].every((x) => x === 1)).toBe(true);
    expect([...(state.get('layer1_0/bn1.running_var')?.data ?? [])].every((x) => x === 1)).toBe(
      true,
    );
    expect(state.get('layer2_0/proj_conv.weight')?.shape).toEqual([128, 64, 1, 1]);
    expect(state.get('layer1_0/bn1.num_batches_tracked')).toMatchObject({
      shape: [],
      dtype: 'int64',
    });
  });
});
