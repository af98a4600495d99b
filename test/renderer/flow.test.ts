import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze';
import type { GraphDocument } from '../../src/core/graph/document';
import { setParam } from '../../src/core/graph/edits';
import { fitViewport } from '../../renderer/components/Canvas';
import { edgeLabel } from '../../renderer/components/ShapeEdge';
import { deriveFlow, FlowCache } from '../../renderer/flow/deriveFlow';
import { stackUnplaced } from '../../renderer/flow/graphLayout';
import { nodeView, ViewCache } from '../../renderer/flow/nodeView';
import { compact, keyParams } from '../../renderer/flow/nodeText';
import lenet from '../../templates/lenet-5.nnb.json';

const LENET = stackUnplaced(lenet as unknown as GraphDocument);
const none = new Set<string>();

describe('canvas nodes', () => {
  it('show badges from the analysis; edges are labelled with their tensor', () => {
    const analysis = analyze(LENET);
    expect(nodeView(LENET, analysis, 'conv1')).toMatchObject({
      type: 'Conv2d',
      keyParams: '6 @ 5×5 · pad 2',
      shape: '6×28×28',
      params: '156',
      rf: '5',
      severity: null,
    });
    const { nodes, edges } = deriveFlow(LENET, analysis, new Set(['conv1']), none, new FlowCache());
    expect(nodes.find((n) => n.id === 'conv1')?.selected).toBe(true);
    const toFc1 = edges.find((e) => e.target === 'fc1');
    expect(edgeLabel(analysis, toFc1?.id ?? '')).toBe('400');
  });

  it('put the diagnostic and its fix on the node', () => {
    const bad = setParam(LENET, 'flatten', 'start_dim', 5);
    const view = nodeView(bad, analyze(bad), 'flatten');
    expect(view?.severity).toBe('error');
    expect(view?.problems[0]?.message).toContain('Flatten "flatten"');
    expect(
      deriveFlow(bad, analyze(bad), none, none, new FlowCache()).nodes.find(
        (n) => n.id === 'flatten',
      )?.data.severity,
    ).toBe('error');
  });

  it('hand React Flow the same arrays when an edit changes only numbers', () => {
    const cache = new FlowCache();
    const before = deriveFlow(LENET, analyze(LENET), none, none, cache);
    const edited = setParam(LENET, 'fc3', 'out_features', 12);
    const after = deriveFlow(edited, analyze(edited), none, none, cache);
    expect(after.nodes).toBe(before.nodes);
    expect(after.edges).toBe(before.edges);
    const moved = deriveFlow(LENET, analyze(LENET), new Set(['fc3']), none, cache);
    expect(moved.nodes.filter((n, i) => n !== before.nodes[i]).map((n) => n.id)).toEqual(['fc3']);
  });

  it('keep a node view while its content is unchanged, so it does not re-render', () => {
    const views = new ViewCache();
    const a = analyze(LENET);
    const edited = setParam(LENET, 'fc3', 'out_features', 12);
    const b = analyze(edited);
    expect(views.stable('conv1', nodeView(edited, b, 'conv1'))).toBe(
      views.stable('conv1', nodeView(LENET, a, 'conv1')),
    );
    const fc3 = views.stable('fc3', nodeView(LENET, a, 'fc3'));
    expect(views.stable('fc3', nodeView(edited, b, 'fc3'))).not.toBe(fc3);
    expect(nodeView(LENET, a, 'gone')).toBeNull();
  });
});

describe('node text', () => {
  it.each([
    [
      {
        id: 'c',
        type: 'Conv2d',
        params: { out_channels: 64, kernel_size: 7, stride: 2, padding: 3, bias: false },
      },
      '64 @ 7×7 · s 2 · pad 3 · no bias',
    ],
    [
      { id: 'p', type: 'MaxPool2d', params: { kernel_size: 3, stride: 2, padding: 1 } },
      '3×3 · s 2 · pad 1',
    ],
    [{ id: 'l', type: 'Linear', params: { out_features: 10 } }, '→ 10'],
    [{ id: 'd', type: 'Dropout' }, 'p 0.5'],
    [{ id: 'g', type: 'AdaptiveAvgPool2d', params: { output_size: 1 } }, '→ 1×1'],
    [{ id: 'b', type: 'ResidualBlock', params: { out_channels: 128, stride: 2 } }, '128 ch · s 2'],
    [{ id: 'r', type: 'LeakyReLU', params: { negative_slope: 0.2 } }, 'negative_slope 0.2'],
    // stride=None (the kernel) and padding 0 go without saying.
    [{ id: 'p2', type: 'MaxPool2d', params: { kernel_size: 2, padding: 0 } }, '2×2'],
    // Params that do not resolve (out_channels missing): the params as written.
    [{ id: 'bad', type: 'Conv2d', params: { kernel_size: 3 } }, 'kernel_size 3'],
  ])('%j reads %s', (node, text) => {
    expect(keyParams(node)).toBe(text);
  });

  it('compacts large counts', () => {
    expect(compact(156)).toBe('156');
    expect(compact(48_120)).toBe('48.12k');
    expect(compact(11_689_512)).toBe('11.69M');
  });
});

describe('fit view', () => {
  const box = { width: 900, height: 560 };
  it('fits a small graph whole, at most at 100 %', () => {
    const v = fitViewport({ x: 0, y: 0, width: 210, height: 300 }, box, 'readable');
    expect(v.zoom).toBe(1);
  });
  it('shows the top of a long graph at a readable zoom', () => {
    const v = fitViewport({ x: 0, y: 0, width: 210, height: 6000 }, box, 'readable');
    expect(v.zoom).toBe(0.75);
    expect(v.y).toBe(40);
    expect(fitViewport({ x: 0, y: 0, width: 210, height: 6000 }, box, 'all').zoom).toBeLessThan(
      0.1 + 1e-9,
    );
  });
});
