import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { nodePosition } from '../../src/core/graph/edits.js';
import { copyFragment, pasteFragment, pasteOffset } from '../../src/core/graph/fragments.js';
import {
  FRAGMENT_FORMAT,
  fragmentFromText,
  fragmentToText,
} from '../../src/core/graph/fragmentText.js';

const LENET = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'templates', 'lenet-5.nnb.json'), 'utf8'),
) as GraphDocument;
const placed: GraphDocument = {
  ...LENET,
  nodes: LENET.nodes.map((n, i) => ({ ...n, ui: { x: 0, y: i * 100 } })),
};

describe('clipboard text of a graph fragment', () => {
  it('is versioned, pretty-printed JSON that reads back to the same nodes and edges', () => {
    const fragment = copyFragment(placed, ['conv1', 'relu1', 'pool1']);
    const text = fragmentToText(fragment);
    expect(text.startsWith(`{\n  "format": "${FRAGMENT_FORMAT}",\n  "version": 1,\n`)).toBe(true);
    expect(text.split('\n').length).toBeGreaterThan(20);
    expect(fragment.edges).toEqual([
      { source: 'conv1', target: 'relu1' },
      { source: 'relu1', target: 'pool1' },
    ]);
    const back = fragmentFromText(text);
    expect(back).toEqual({ ok: true, fragment: JSON.parse(JSON.stringify(fragment)) });
  });

  it.each([
    ['', 'The clipboard is empty'],
    ['conv1 then relu', 'holds text, not NN Builder nodes ("conv1 then relu")'],
    ['{"nodes": [], "edges": []}', 'JSON without "format": "nnb-fragment"'],
    ['[1, 2]', 'JSON without "format"'],
    ['{"format": "nnb-graph", "version": 2, "nodes": [], "edges": []}', 'open a whole graph file'],
    ['{"format": "nnb-fragment", "version": 9, "nodes": [], "edges": []}', 'version 9, newer'],
    ['{"format": "nnb-fragment", "version": "1", "nodes": [], "edges": []}', '"version": "1"'],
    ['{"format": "nnb-fragment", "version": 1, "nodes": [{"id": 3}], "edges": []}', 'malformed'],
    ['{"format": "nnb-fragment", "version": 1, "nodes": [], "edges": []}', 'has no nodes'],
    [
      '{"format": "nnb-fragment", "version": 1, "nodes": [{"id": "a", "type": "ReLU"}, {"id": "a", "type": "ReLU"}], "edges": []}',
      'name "a" twice',
    ],
  ])('refuses %j, saying what it found', (text, message) => {
    const outcome = fragmentFromText(text);
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? '' : outcome.error).toContain(message);
  });

  it('pastes with fresh ids, the edges renamed, offset past nodes already there', () => {
    const fragment = copyFragment(placed, ['conv1', 'relu1']);
    const offset = pasteOffset(placed, fragment, { x: 40, y: 40 });
    expect(offset).toEqual({ x: 40, y: 40 });
    const once = pasteFragment(placed, fragment, offset);
    expect(once.ids).toEqual(['conv3', 'relu5']);
    expect(once.graph.edges.at(-1)).toEqual({ source: 'conv3', target: 'relu5' });
    // The same fragment again: one step further, not on top of the first copy.
    expect(pasteOffset(once.graph, fragment, { x: 40, y: 40 })).toEqual({ x: 80, y: 80 });
    const conv3 = once.graph.nodes.find((n) => n.id === 'conv3')!;
    expect(nodePosition(conv3)).toEqual({ x: 40, y: 140 });
  });
});
