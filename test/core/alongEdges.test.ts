import { describe, expect, it } from 'vitest';
import { alongEdges, type EdgeStep } from '../../src/core/graph/alongEdges.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { emptyGraph } from '../../src/core/graph/document.js';

// input → conv → relu ─┬→ a ─┐
//                      └→ b ─┴→ add (b on port 0, a on port 1) → out
const graph: GraphDocument = {
  ...emptyGraph(),
  nodes: ['input', 'conv', 'relu', 'a', 'b', 'add', 'out', 'lonely'].map((id) => ({
    id,
    type: 'ReLU',
  })),
  edges: [
    { source: 'input', target: 'conv' },
    { source: 'conv', target: 'relu' },
    { source: 'relu', target: 'a' },
    { source: 'relu', target: 'b' },
    { source: 'a', target: 'add', targetPort: 1 },
    { source: 'b', target: 'add', targetPort: 0 },
    { source: 'add', target: 'out' },
  ],
};

describe('alongEdges', () => {
  it.each<[string, EdgeStep, string | undefined]>([
    ['input', 'next', 'conv'],
    ['conv', 'next', 'relu'],
    ['relu', 'next', 'a'],
    ['add', 'next', 'out'],
    ['out', 'next', undefined],
    ['input', 'previous', undefined],
    ['conv', 'previous', 'input'],
    ['out', 'previous', 'add'],
    // Port 0 first, though a's edge comes earlier in the file.
    ['add', 'previous', 'b'],
    ['a', 'sibling-next', 'b'],
    ['b', 'sibling-next', 'a'],
    ['a', 'sibling-previous', 'b'],
    ['conv', 'sibling-next', undefined],
    ['input', 'sibling-next', undefined],
    ['lonely', 'next', undefined],
    ['missing', 'next', undefined],
  ])('%s, %s → %s', (from, step, to) => {
    expect(alongEdges(graph, from, step)).toBe(to);
  });

  it('walks a chain end to end and back', () => {
    const walk = (start: string, step: EdgeStep) => {
      const seen = [start];
      for (
        let id = alongEdges(graph, start, step);
        id !== undefined;
        id = alongEdges(graph, id, step)
      )
        seen.push(id);
      return seen;
    };
    expect(walk('input', 'next')).toEqual(['input', 'conv', 'relu', 'a', 'add', 'out']);
    expect(walk('out', 'previous')).toEqual(['out', 'add', 'b', 'relu', 'conv', 'input']);
  });
});
