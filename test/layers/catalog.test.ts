import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/core/layers/LayerDefinition.js';
import { getDefinition, NODE_DEFINITIONS, NODE_TYPES } from '../../src/core/layers/registry.js';

const LAYERS = NODE_DEFINITIONS.filter((d) => d.kind === 'layer');

describe('the layer catalog', () => {
  it('keeps categories in palette order', () => {
    const ranks = NODE_DEFINITIONS.map((d) => CATEGORIES.indexOf(d.category));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
  });

  it('has unique types that resolve to themselves', () => {
    expect(new Set(NODE_TYPES).size).toBe(NODE_TYPES.length);
    for (const d of NODE_DEFINITIONS) expect(getDefinition(d.type)).toBe(d);
  });

  it.each(LAYERS.map((d) => [d.type, d] as const))(
    '%s is one file exporting a definition named after it',
    async (type, d) => {
      const module = (await import(`../../src/core/layers/${type}.ts`)) as Record<string, unknown>;
      expect(module[type]).toBe(d);
    },
  );

  it.each(LAYERS.map((d) => [d.type, d] as const))(
    '%s documents itself and its params',
    (_type, d) => {
      expect(d.summary.length).toBeGreaterThan(10);
      expect(d.explanation.length).toBeGreaterThan(d.summary.length);
      for (const [name, spec] of Object.entries(d.params)) {
        expect(name).toMatch(/^[a-z][a-z0-9_]*$/); // torch.nn argument names
        expect(spec.description.length).toBeGreaterThan(5);
        if (spec.default !== undefined) expect(spec.parse(spec.default).ok).toBe(true);
      }
    },
  );

  it('infers the torch.nn arguments the graph format leaves out', () => {
    const inferred = Object.fromEntries(
      LAYERS.filter((d) => d.inferred).map((d) => [d.type, d.inferred?.name]),
    );
    expect(inferred).toEqual({
      Conv2d: 'in_channels',
      ConvTranspose2d: 'in_channels',
      BatchNorm2d: 'num_features',
      BatchNorm1d: 'num_features',
      LayerNorm2d: 'normalized_shape',
      Linear: 'in_features',
    });
  });
});
