import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, type GraphAnalysis } from '../../../src/core/analysis/analyze.js';
import { explainNode } from '../../../src/core/explain/explainNode.js';
import { explanationOf } from '../../../src/core/explain/explanations.js';
import { formatCount } from '../../../src/core/format/numbers.js';
import type { GraphDocument } from '../../../src/core/graph/document.js';
import { starterParams } from '../../../src/core/graph/edits.js';
import { formatTraceLine } from '../../../src/core/graph/trace.js';
import { NODE_TYPES } from '../../../src/core/layers/registry.js';
import { formatShape } from '../../../src/core/shape.js';
import { graph } from '../../helpers.js';

const template = (name: string) =>
  JSON.parse(readFileSync(`templates/${name}.nnb.json`, 'utf8')) as GraphDocument;
const lenet = template('lenet-5');
const resnet = template('resnet-18');

/** A small graph in which `type` (as node `x`) gets a valid input, with its starter params. */
function graphFor(type: string): GraphDocument {
  const x = ['x', type, starterParams(type)] as const;
  if (type === 'Input') return graph([['x', 'Input', { shape: [3, 16, 16] }]], []);
  if (type === 'Add' || type === 'Concat' || type === 'Multiply')
    return graph(
      [['input', 'Input', { shape: [4, 16, 16] }], ['a', 'ReLU'], ['b', 'Tanh'], x],
      ['input->a', 'input->b', 'a->x', 'b->x:1'],
    );
  if (type === 'Linear' || type === 'BatchNorm1d')
    return graph(
      [['input', 'Input', { shape: [4, 8, 8] }], ['flat', 'Flatten'], x],
      ['input->flat', 'flat->x'],
    );
  // 4 channels: PixelShuffle's r² divides it; 16×16 leaves room for every starter kernel.
  return graph([['input', 'Input', { shape: [4, 16, 16] }], x], ['input->x']);
}

/** Checks every shown number against the analysis of that node. */
function expectOwnNumbers(a: GraphAnalysis, id: string): void {
  const node = a.nodes.get(id);
  const e = explainNode(a, id);
  expect(e, id).not.toBeNull();
  expect(node?.outputShape, `${id} analysed without problems`).not.toBeNull();
  const q = Object.fromEntries(e!.quantities.map((x) => [x.topic, x]));
  expect(q.shape?.result).toBe(formatShape(node!.outputShape!));
  expect(q.params?.result).toBe(formatCount(node!.params));
  const f = node!.receptiveField;
  if (f === null) expect(q.rf?.result).toMatch(/^none/);
  else expect(q.rf?.result).toMatch(new RegExp(`^${f.size[0]}(×${f.size[1]})? px, jump `));
  // The plugged-in formulas are the analysis' own trace lines, not a second derivation…
  for (const topic of ['shape', 'params', 'rf'] as const)
    expect(q[topic]?.lines).toEqual(node!.trace.filter((l) => l.topic === topic));
  // …and the last line of each topic ends in the number shown.
  const lastParams = q.params?.lines.at(-1);
  if (lastParams && lastParams.label === 'params')
    expect(lastParams.value).toBe(formatCount(node!.params));
}

describe('Explain', () => {
  // That every registry type has an explanation is checked by the compiler (EXPLANATIONS is a
  // mapped type over LayerType | BlockType); this checks each one says something.
  it('has a plain explanation and the three formulas for every registered type', () => {
    for (const type of NODE_TYPES) {
      const e = explanationOf(type);
      expect(e?.what.length, type).toBeGreaterThan(20);
      expect(e?.why.length, type).toBeGreaterThan(20);
      for (const f of Object.values(e?.formulas ?? {})) expect(f.length, type).toBeGreaterThan(0);
    }
    expect(explanationOf('toString')).toBeUndefined();
  });

  it.each(NODE_TYPES.map((t) => [t]))("%s shows the node's own numbers", (type) => {
    const a = analyze(graphFor(type));
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expectOwnNumbers(a, 'x');
  });

  it('LeNet-5 conv1: params 156 = 5·5·1·6 + 6, output 6×28×28, field 5', () => {
    const a = analyze(lenet);
    const e = explainNode(a, 'conv1')!;
    const [shape, params, rf] = e.quantities;
    expect(params?.result).toBe('156');
    expect(params?.lines.map(formatTraceLine)).toEqual(['params = 5·5·1·6 + 6 = 156']);
    expect(params?.formula).toContain('k_h·k_w·(C_in/groups)·C_out');
    expect(shape?.result).toBe('6×28×28');
    expect(shape?.lines.map(formatTraceLine)).toContain(
      'H_out = W_out = ⌊(28 + 2·2 − 1·(5−1) − 1)/1⌋ + 1 = 28',
    );
    expect(rf?.result).toBe('5 px, jump 1, start 0');
    for (const id of a.order) expectOwnNumbers(a, id);
  });

  it('ResNet-18: blocks explain themselves with their aggregated numbers', () => {
    const a = analyze(resnet);
    for (const id of a.order) expectOwnNumbers(a, id);
    const block = explainNode(a, 'layer2_0')!;
    expect(block.what).toContain('shortcut');
    expect(block.quantities[1]?.result).toBe(formatCount(a.nodes.get('layer2_0')!.params));
  });

  it('says when a number is unknown because of a problem', () => {
    const a = analyze(
      graph(
        [
          ['input', 'Input', { shape: [8] }],
          ['c', 'Conv2d', starterParams('Conv2d')],
        ],
        ['input->c'],
      ),
    );
    expect(explainNode(a, 'c')?.quantities[0]?.result).toMatch(/^\?/);
    expect(explainNode(a, 'nope')).toBeNull();
  });
});
