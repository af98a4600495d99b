import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { formatTraceLine } from '../../src/core/graph/trace.js';
import { chain, codes, graph, nodeOf } from '../helpers.js';

const conv = (out = 4): Record<string, number> => ({
  out_channels: out,
  kernel_size: 3,
  padding: 1,
});

describe('graph-level diagnostics', () => {
  it('reports a cycle on each node of it, with the loop and a fix cutting it', () => {
    const a = analyze(
      graph(
        [
          ['input', 'Input', { shape: [1, 8, 8] }],
          ['a', 'Conv2d', conv()],
          ['b', 'Conv2d', conv()],
          ['c', 'Conv2d', conv()],
        ],
        ['input->a', 'a->b', 'b->c', 'c->b:1'],
      ),
    );
    const cycles = a.diagnostics.filter((d) => d.code === 'cycle');
    expect(cycles.map((d) => d.node).sort()).toEqual(['b', 'c']);
    expect(cycles[0]?.message).toMatch(/cycle b → c → b/);
    expect(cycles[0]?.fix).toMatchObject({ kind: 'remove-edge', source: 'c', target: 'b' });
    expect(nodeOf(a, 'a').outputShape).toEqual([4, 8, 8]);
    expect(nodeOf(a, 'c').outputShape).toBeNull();
  });

  it('names duplicate ids, dangling edges, self loops and clashing ports', () => {
    const a = analyze(
      graph(
        [
          ['input', 'Input', { shape: [1, 8, 8] }],
          ['a', 'Conv2d', conv()],
          ['a', 'Conv2d', conv()],
        ],
        ['input->a:0', 'ghost->a', 'a->a', 'input->a:0'],
      ),
    );
    expect(codes(a)).toEqual(
      expect.arrayContaining(['duplicate-id', 'unknown-node', 'self-loop', 'duplicate-port']),
    );
    expect(a.diagnostics.find((d) => d.code === 'unknown-node')?.message).toContain('"ghost"');
  });

  it('flags a missing Input, unconnected inputs and stray nodes', () => {
    expect(codes(analyze(graph([['a', 'Conv2d', conv()]], [])))).toEqual([
      'disconnected',
      'no-input-node',
    ]);
    const a = analyze(
      graph(
        [
          ['input', 'Input', {}],
          ['a', 'Conv2d', conv()],
          ['b', 'Conv2d', conv()],
        ],
        ['input->a', 'b->a'],
      ),
    );
    expect(a.diagnostics.find((d) => d.node === 'a')?.code).toBe('too-many-inputs');
    expect(a.diagnostics.find((d) => d.node === 'b')?.message).toBe(
      'Conv2d "b" has no input. Connect the output of a previous layer to it.',
    );
  });

  it('reports an error once, at its source, not on every layer downstream', () => {
    const a = analyze(
      chain(
        [1, 8, 8],
        ['a', 'Conv2d', { out_channels: 4, kernel_size: 9 }],
        ['b', 'Conv2d', conv()],
        ['c', 'Conv2d', conv()],
      ),
    );
    expect(a.diagnostics.map((d) => [d.node, d.code])).toEqual([['a', 'kernel-too-large']]);
    expect(a.diagnostics[0]?.message).toContain(
      'window spans 9 pixels but the padded input is only 8',
    );
  });

  it('checks stated in_channels against the incoming tensor', () => {
    const ok = analyze(chain([3, 8, 8], ['a', 'Conv2d', { ...conv(), in_channels: 3 }]));
    expect(ok.hasErrors).toBe(false);
    const bad = analyze(chain([3, 8, 8], ['a', 'Conv2d', { ...conv(), in_channels: 1 }]));
    expect(bad.diagnostics[0]?.message).toContain(
      'in_channels is 1 in the file, but the incoming tensor 3×8×8 gives 3',
    );
  });

  it('counts the parameters of frozen nodes as non-trainable', () => {
    const g = chain([3, 8, 8], ['a', 'Conv2d', conv()], ['b', 'Conv2d', conv()]);
    const frozen = {
      ...g,
      nodes: g.nodes.map((n) => (n.id === 'a' ? { ...n, trainable: false } : n)),
    };
    const t = analyze(frozen).totals;
    expect([t.params, t.trainableParams, t.nonTrainableParams]).toEqual([260, 148, 112]);
  });

  it('orders layers by dependency, keeping document order among ready ones', () => {
    const a = analyze(
      graph(
        [
          ['c', 'Conv2d', conv()],
          ['b', 'Conv2d', conv()],
          ['input', 'Input', { shape: [1, 8, 8] }],
          ['a', 'Conv2d', conv()],
        ],
        ['input->a', 'a->b', 'b->c'],
      ),
    );
    expect(a.order).toEqual(['input', 'a', 'b', 'c']);
    expect(a.outputs).toEqual(['c']);
    expect(a.edges.map((e) => e.shape)).toEqual([
      [1, 8, 8],
      [4, 8, 8],
      [4, 8, 8],
    ]);
  });

  it('explains Conv2d numbers with the values plugged in', () => {
    const a = analyze(
      chain([1, 28, 28], ['conv1', 'Conv2d', { out_channels: 6, kernel_size: 5, padding: 2 }]),
    );
    expect(nodeOf(a, 'conv1').trace.map(formatTraceLine)).toEqual([
      'C_out = out_channels = 6',
      'H_out = W_out = ⌊(28 + 2·2 − 1·(5−1) − 1)/1⌋ + 1 = 28',
      'params = 5·5·1·6 + 6 = 156',
      'MACs = 6·28·28·1·5·5 = 117,600',
      'RF = 1 + (5−1)·1 = 5',
    ]);
  });
});
