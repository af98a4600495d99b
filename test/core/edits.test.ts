import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import {
  addNode,
  applyFix,
  connect,
  connectionProblem,
  edgeKey,
  moveNodes,
  nodePosition,
  removeEdges,
  removeNodes,
  renameNode,
  setParam,
  starterParams,
  uniqueId,
} from '../../src/core/graph/edits.js';
import {
  copyFragment,
  duplicateNodes,
  pasteFragment,
  readFragment,
} from '../../src/core/graph/fragments.js';
import { LAYERS, NODE_TYPES } from '../../src/core/layers/registry.js';
import { chain, graph } from '../helpers.js';

const frozen = <T>(value: T): T => {
  if (value !== null && typeof value === 'object') {
    Object.values(value).forEach(frozen);
    Object.freeze(value);
  }
  return value;
};

describe('graph edits', () => {
  it('never mutate their input', () => {
    const g = frozen(chain([1, 28, 28], ['conv1', 'Conv2d', { out_channels: 6, kernel_size: 5 }]));
    expect(() => {
      addNode(g, 'ReLU', { x: 0, y: 0 });
      setParam(g, 'conv1', 'padding', 2);
      removeNodes(g, ['conv1']);
      connect(g, 'input', 'conv1');
      moveNodes(g, new Map([['conv1', { x: 5, y: 5 }]]));
      renameNode(g, 'conv1', 'c1');
      duplicateNodes(g, ['conv1']);
    }).not.toThrow();
  });

  it('name new nodes like nn.Module attributes', () => {
    const g = chain([1, 28, 28], ['conv1', 'Conv2d', { out_channels: 6, kernel_size: 5 }]);
    expect(uniqueId(g, 'Conv2d')).toBe('conv2');
    expect(uniqueId(g, 'Linear')).toBe('fc1');
    expect(uniqueId(g, 'Input')).toBe('input1');
    expect(uniqueId(graph([], []), 'Input')).toBe('input');
    expect(uniqueId(g, 'ReLU')).toBe('relu1');
  });

  it('give every layer type starter params that make it valid right away', () => {
    for (const type of NODE_TYPES) {
      if (type === 'Input') continue;
      const { graph: g, id } = addNode(chain([4, 32, 32]), type, { x: 0, y: 0 });
      // Merges (Add, Concat, Multiply, …) need two inputs: feed them the input twice.
      const wired =
        (LAYERS[type as keyof typeof LAYERS]?.inputs.min ?? 1) >= 2
          ? {
              ...g,
              edges: [
                ...g.edges,
                { source: 'input', target: id },
                { source: 'input', target: id, targetPort: 1 },
              ],
            }
          : { ...g, edges: [...g.edges, { source: 'input', target: id }] };
      const problems = analyze(wired).diagnostics.filter(
        (d) => d.node === id && d.code !== 'needs-flatten' && d.code !== 'wrong-rank',
      );
      expect(problems, `${type} with ${JSON.stringify(starterParams(type))}`).toEqual([]);
    }
  });

  it('store positions in node.ui, keeping other editor state', () => {
    const g: GraphDocument = graph([['a', 'ReLU']], []);
    const withColour = { ...g, nodes: [{ ...g.nodes[0]!, ui: { colour: 'red' } }] };
    const moved = moveNodes(withColour, new Map([['a', { x: 10.4, y: 20.6 }]]));
    expect(moved.nodes[0]?.ui).toEqual({ colour: 'red', x: 10, y: 21 });
    expect(nodePosition(moved.nodes[0]!)).toEqual({ x: 10, y: 21 });
    expect(nodePosition(g.nodes[0]!)).toBeUndefined();
  });

  it('setParam with undefined removes the param so the default applies', () => {
    const g = chain(
      [1, 28, 28],
      ['conv1', 'Conv2d', { out_channels: 6, kernel_size: 5, padding: 2 }],
    );
    expect(setParam(g, 'conv1', 'padding', undefined).nodes[1]?.params).toEqual({
      out_channels: 6,
      kernel_size: 5,
    });
    const bare = setParam(chain([4], ['r', 'ReLU', { inplace: true }]), 'r', 'inplace', undefined);
    expect(bare.nodes[1]).toEqual({ id: 'r', type: 'ReLU' });
  });

  it('removing nodes removes their edges', () => {
    const g = chain([4], ['a', 'ReLU'], ['b', 'ReLU']);
    const out = removeNodes(g, ['a']);
    expect(out.nodes.map((n) => n.id)).toEqual(['input', 'b']);
    expect(out.edges).toEqual([]);
    expect(removeEdges(g, [edgeKey(g.edges[1]!, 1)]).edges).toEqual([g.edges[0]]);
  });

  it('rename updates edges and refuses clashes and bad names', () => {
    const g = chain([4], ['a', 'ReLU'], ['b', 'ReLU']);
    const out = renameNode(g, 'a', 'act');
    expect(out.ok && out.graph.edges).toEqual([
      { source: 'input', target: 'act' },
      { source: 'act', target: 'b' },
    ]);
    expect(renameNode(g, 'a', 'b')).toEqual({
      ok: false,
      reason: '"b" is already the name of another node.',
    });
    expect(renameNode(g, 'a', '1x').ok).toBe(false);
    expect(renameNode(g, 'a', '  ').ok).toBe(false);
  });
});

describe('connect', () => {
  const g = graph(
    [
      ['input', 'Input'],
      ['conv1', 'Conv2d', { out_channels: 4, kernel_size: 3 }],
      ['relu', 'ReLU'],
      ['add', 'Add'],
    ],
    ['input->conv1', 'conv1->relu'],
  );

  it('adds an edge', () => {
    const out = connect(g, 'relu', 'add');
    expect(out.ok && out.graph.edges.at(-1)).toEqual({ source: 'relu', target: 'add' });
  });

  it.each([
    ['relu', 'conv1', 'would make a cycle: Conv2d "conv1" already feeds ReLU "relu"'],
    ['relu', 'relu', 'cannot feed its own input'],
    ['input', 'conv1', 'is already connected'],
    ['relu', 'input', 'is a network input; it takes no incoming connection'],
    ['add', 'relu', 'takes one input and already has one'],
  ])('refuses %s → %s with the reason', (source, target, reason) => {
    const out = connect(g, source, target);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reason).toContain(reason);
    expect(connectionProblem(g, source, target)).toContain(reason);
  });

  it('numbers ports only where the file already does', () => {
    const numbered = graph(
      [
        ['a', 'Input'],
        ['b', 'Input'],
        ['c', 'Input'],
        ['cat', 'Concat'],
      ],
      ['a->cat:1'],
    );
    const out = connect(numbered, 'b', 'cat');
    expect(out.ok && out.graph.edges.at(-1)).toEqual({ source: 'b', target: 'cat', targetPort: 0 });
  });

  it('never lets the editor build a cycle (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(5), fc.nat(5)), { maxLength: 30 }), (pairs) => {
        let doc = graph(
          [0, 1, 2, 3, 4, 5].map((i) => [`n${i}`, i === 0 ? 'Input' : 'Add'] as const),
          [],
        );
        for (const [s, t] of pairs) {
          const out = connect(doc, `n${s}`, `n${t}`);
          if (out.ok) doc = out.graph;
        }
        expect(analyze(doc).diagnostics.filter((d) => d.code === 'cycle')).toEqual([]);
      }),
    );
  });
});

describe('applyFix', () => {
  it('inserts Flatten between a conv and a Linear, at the midpoint', () => {
    const g = moveNodes(
      chain(
        [1, 28, 28],
        ['conv1', 'Conv2d', { out_channels: 4, kernel_size: 3 }],
        ['fc1', 'Linear', { out_features: 10 }],
      ),
      new Map([
        ['conv1', { x: 0, y: 100 }],
        ['fc1', { x: 0, y: 300 }],
      ]),
    );
    const problem = analyze(g).diagnostics.find((d) => d.code === 'needs-flatten');
    expect(problem?.fix?.kind).toBe('insert-node');
    const fixed = applyFix(g, problem!.fix!);
    expect(fixed.edges).toEqual([
      { source: 'input', target: 'conv1' },
      { source: 'conv1', target: 'flatten1' },
      { source: 'flatten1', target: 'fc1' },
    ]);
    expect(nodePosition(fixed.nodes.find((n) => n.id === 'flatten1')!)).toEqual({ x: 0, y: 200 });
    const after = analyze(fixed);
    expect(after.hasErrors).toBe(false);
    expect(after.totals.params).toBe(4 * 9 + 4 + 4 * 26 * 26 * 10 + 10);
  });

  it('adds the 1×1 projection on the right Add branch', () => {
    const g = graph(
      [
        ['input', 'Input', { shape: [16, 32, 32] }],
        ['conv', 'Conv2d', { out_channels: 32, kernel_size: 3, stride: 2, padding: 1 }],
        ['add', 'Add'],
      ],
      ['input->conv', 'conv->add', 'input->add'],
    );
    const fix = analyze(g).diagnostics.find((d) => d.code === 'shape-mismatch')?.fix;
    expect(fix?.kind).toBe('insert-node');
    expect(analyze(applyFix(g, fix!)).hasErrors).toBe(false);
  });

  it('applies set-param and remove-edge fixes; a stale fix changes nothing', () => {
    const g = chain([4], ['r', 'ReLU']);
    expect(
      applyFix(g, { kind: 'set-param', description: '', node: 'r', param: 'inplace', value: true })
        .nodes[1]?.params,
    ).toEqual({ inplace: true });
    expect(
      applyFix(g, { kind: 'remove-edge', description: '', source: 'input', target: 'r' }).edges,
    ).toEqual([]);
    expect(
      applyFix(g, { kind: 'set-param', description: '', node: 'gone', param: 'p', value: 1 }),
    ).toBe(g);
    expect(
      applyFix(g, {
        kind: 'insert-node',
        description: '',
        source: 'x',
        target: 'y',
        targetPort: 0,
        nodeType: 'Flatten',
        params: {},
      }),
    ).toBe(g);
  });
});

describe('copy, paste, duplicate', () => {
  const g = moveNodes(
    chain([4], ['a', 'ReLU'], ['b', 'Sigmoid']),
    new Map([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 0, y: 100 }],
    ]),
  );

  it('copies the selection and the edges inside it', () => {
    expect(copyFragment(g, ['a', 'b'])).toEqual({ nodes: g.nodes.slice(1), edges: [g.edges[1]] });
  });

  it('pastes with fresh ids, shifted, with its inner edges rewired', () => {
    const { graph: out, ids } = pasteFragment(g, copyFragment(g, ['a', 'b']), { x: 40, y: 40 });
    expect(ids).toEqual(['relu1', 'sigmoid1']);
    expect(out.edges.at(-1)).toEqual({ source: 'relu1', target: 'sigmoid1' });
    expect(nodePosition(out.nodes.find((n) => n.id === 'sigmoid1')!)).toEqual({ x: 40, y: 140 });
    expect(duplicateNodes(g, ['a']).ids).toEqual(['relu1']);
  });

  it('keeps ids that are free (pasting into another document)', () => {
    const { ids } = pasteFragment(graph([], []), copyFragment(g, ['a']), { x: 0, y: 0 });
    expect(ids).toEqual(['a']);
  });

  it('reads fragments back from clipboard JSON, rejecting anything else', () => {
    expect(readFragment(JSON.parse(JSON.stringify(copyFragment(g, ['a']))))).toBeDefined();
    expect(readFragment({ nodes: [{ id: 1 }], edges: [] })).toBeUndefined();
    expect(readFragment('text')).toBeUndefined();
    expect(readFragment(null)).toBeUndefined();
  });
});
