import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/core/analysis/analyze.js';
import {
  costMetric,
  costShares,
  formatShare,
  shareStep,
} from '../../../src/core/cost/costShares.js';
import type { GraphDocument } from '../../../src/core/graph/document.js';

const analysisOf = (file: string) =>
  analyze(JSON.parse(readFileSync(`templates/${file}`, 'utf8')) as GraphDocument);
const sharesOf = (metric: string, file = 'lenet-5.nnb.json') => {
  const m = costMetric(metric);
  if (m === undefined) throw new Error(`no metric ${metric}`);
  return costShares(m.values(analysisOf(file)));
};

describe('costShares', () => {
  it('LeNet-5 by MACs: conv2 does most of the work (240,000 of 416,520)', () => {
    const { shares, total, top, max } = sharesOf('macs');
    expect(total).toBe(416520);
    expect(top).toBe('conv2');
    expect(max).toBeCloseTo(240000 / 416520, 12);
    expect(shares.get('conv1')).toBeCloseTo(117600 / 416520, 12);
    expect(shares.get('relu1')).toBe(0);
  });

  it('LeNet-5 by parameters: fc1 holds 48,120 of 61,706', () => {
    const { top, max, total } = sharesOf('params');
    expect(total).toBe(61706);
    expect(top).toBe('fc1');
    expect(max).toBeCloseTo(48120 / 61706, 12);
  });

  it('by activation memory: the shares add up to 1 and the Input counts nothing', () => {
    const { shares, total } = sharesOf('memory');
    const a = analysisOf('lenet-5.nnb.json');
    expect(total).toBe(a.totals.activationBytes);
    expect(shares.get('input')).toBe(0);
    expect([...shares.values()].reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
  });

  it('counts a residual block as one node with its inner layers’ sum', () => {
    const { shares, total } = sharesOf('params', 'resnet-18.nnb.json');
    const a = analysisOf('resnet-18.nnb.json');
    expect(total).toBe(a.totals.params);
    expect(shares.get('layer4_1')).toBeCloseTo((a.nodes.get('layer4_1')?.params ?? 0) / total, 12);
    expect(shares.has('layer4_1/conv1')).toBe(false);
  });

  it('takes any per-node values (a measured metric later), ignoring negative and NaN ones', () => {
    const s = costShares(
      new Map([
        ['a', 3],
        ['b', 1],
        ['c', -2],
        ['d', Number.NaN],
      ]),
    );
    expect([...s.shares]).toEqual([
      ['a', 0.75],
      ['b', 0.25],
      ['c', 0],
      ['d', 0],
    ]);
    expect(costShares(new Map([['a', 0]]))).toMatchObject({ total: 0, max: 0, top: null });
  });
});

describe('shareStep and formatShare', () => {
  it.each([
    [0, 0.5, -1],
    [0.0001, 0.5, 0],
    [0.1, 0.5, 1],
    [0.49, 0.5, 4],
    [0.5, 0.5, 4],
  ])('share %s of max %s is step %s of 5', (share, max, step) => {
    expect(shareStep(share, max, 5)).toBe(step);
  });

  it.each([
    [0, '0%'],
    [0.0004, '<0.1%'],
    [0.004, '0.4%'],
    [0.5762, '57.6%'],
    [1, '100%'],
  ])('%s reads %s', (share, text) => expect(formatShare(share)).toBe(text));
});
