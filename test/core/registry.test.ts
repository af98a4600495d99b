import { describe, expect, it } from 'vitest';
import { NODE_DEFINITIONS } from '../../src/core/layers/registry.js';

// Adding a layer is a visible checklist: every type must provide every piece, or this fails.
describe.each(NODE_DEFINITIONS.map((d) => [d.type, d] as const))('%s', (_type, d) => {
  it('has a palette summary and an explanation with its formulas', () => {
    expect(d.summary.length).toBeGreaterThan(15);
    expect(d.explanation.length).toBeGreaterThan(30);
  });

  it(
    d.kind === 'layer'
      ? 'has shape, parameter, MAC and receptive-field rules'
      : 'has an expansion into primitives',
    () => {
      if (d.kind === 'layer') {
        for (const rule of [d.shape, d.paramCount, d.macs, d.receptiveField])
          expect(typeof rule).toBe('function');
      } else {
        expect(typeof d.expand).toBe('function');
      }
    },
  );

  it('describes every parameter, and its default is a valid value of it', () => {
    for (const [name, spec] of Object.entries(d.params)) {
      expect(spec.description, name).not.toBe('');
      expect(spec.expected, name).not.toBe('');
      expect(spec.schema, name).toBeTypeOf('object');
      if (spec.default !== undefined)
        expect(spec.parse(spec.default).ok, `${name} default`).toBe(true);
    }
  });

  it('has PyTorch-style snake_case parameter names', () => {
    for (const name of Object.keys(d.params)) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
  });
});
