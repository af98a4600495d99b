import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { costShares } from '../../src/core/cost/costShares.js';
import { measuredTimeMetric } from '../../src/core/cost/measuredTime.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { profileTable } from '../../src/core/format/profileTable.js';
import {
  formatMs,
  layersTotalMs,
  median,
  nodeTimes,
  profileHeader,
  profileTotals,
  stepAgreement,
  type LayerProfile,
} from '../../src/core/profile/layerProfile.js';

const profile: LayerProfile = {
  backend: 'wasm',
  device: null,
  batchSize: 32,
  warmup: 2,
  runs: 5,
  layers: [
    { id: 'conv1', type: 'Conv2d', forwardMs: 1, backwardMs: 2 },
    { id: 'block1/conv1', type: 'Conv2d', forwardMs: 0.5, backwardMs: 1.5 },
    { id: 'block1/relu', type: 'ReLU', forwardMs: 0.25, backwardMs: 0.25 },
    { id: 'fc', type: 'Linear', forwardMs: 0.5, backwardMs: 0.5 },
  ],
  stepMs: 8,
};

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
  ])('of %j is %d', (values, expected) => expect(median(values)).toBe(expected));
  it('is NaN for no values', () => expect(median([])).toBeNaN());
});

describe('profile sums', () => {
  it('adds every layer forward and backward, and compares with the whole step', () => {
    expect(layersTotalMs(profile)).toBe(6.5);
    expect(stepAgreement(profile)).toBeCloseTo(6.5 / 8);
    expect(stepAgreement({ ...profile, stepMs: 0 })).toBeNaN();
  });
  it("adds a block's inner layers up to the block", () => {
    expect([...nodeTimes(profile)]).toEqual([
      ['conv1', 3],
      ['block1', 2.5],
      ['fc', 1],
    ]);
  });
});

describe('profile text', () => {
  it.each([
    [0.4231, '0.42 ms'],
    [12.34, '12.3 ms'],
    [123.4, '123 ms'],
    [1204.4, '1,204 ms'],
    [Number.NaN, '–'],
  ])('formatMs(%d) is %s', (ms, text) => expect(formatMs(ms)).toBe(text));
  it('says backend, batch, warm-up and median of N', () => {
    expect(profileHeader(profile)).toBe(
      'Measured on wasm, batch 32: forward + backward of each layer alone, 2 warm-up runs, then the median of 5.',
    );
    expect(
      profileHeader({ ...profile, backend: 'webgpu', device: 'NVIDIA H200', warmup: 1 }),
    ).toMatch(/^Measured on webgpu \(NVIDIA H200\), batch 32: .*1 warm-up run, /);
  });
  it('words the totals with the signed gap to the step', () => {
    expect(profileTotals(profile)).toBe('Layers: 6.50 ms · whole step: 8.00 ms (−19%)');
    expect(profileTotals({ ...profile, stepMs: 5 })).toBe(
      'Layers: 6.50 ms · whole step: 5.00 ms (+30%)',
    );
  });
});

const lenetLike: GraphDocument = {
  format: 'nnb-graph',
  version: 1,
  nodes: [
    { id: 'input', type: 'Input', params: { shape: [1, 8, 8] } },
    { id: 'conv1', type: 'Conv2d', params: { out_channels: 2, kernel_size: 3 } },
    { id: 'flat', type: 'Flatten', params: {} },
    { id: 'fc', type: 'Linear', params: { out_features: 3 } },
  ],
  edges: [
    { source: 'input', target: 'conv1' },
    { source: 'conv1', target: 'flat' },
    { source: 'flat', target: 'fc' },
  ],
};

describe('measured time on the heatmap', () => {
  const analysis = analyze(lenetLike);
  const timed: LayerProfile = {
    ...profile,
    layers: [
      { id: 'conv1', type: 'Conv2d', forwardMs: 1, backwardMs: 2 },
      { id: 'flat', type: 'Flatten', forwardMs: 0.5, backwardMs: 0.5 },
      { id: 'fc', type: 'Linear', forwardMs: 0.5, backwardMs: 0.5 },
    ],
  };
  it("feeds each node's measured time to the shares, leaving untimed nodes out", () => {
    const metric = measuredTimeMetric(timed);
    expect(metric.id).toBe('time');
    expect(metric.of).toBe('of measured time (wasm, batch 32)');
    const values = metric.values(analysis);
    expect([...values.keys()]).toEqual(['conv1', 'flat', 'fc']);
    const shares = costShares(values);
    expect(shares.top).toBe('conv1');
    expect(shares.shares.get('conv1')).toBeCloseTo(0.6);
    expect(metric.format(3)).toBe('3.00 ms');
  });
  it('prints MACs beside forward, backward and total time under the header', () => {
    const text = profileTable(analysis, timed);
    const lines = text.split('\n');
    expect(lines[0]).toBe(profileHeader(timed));
    expect(lines[2]).toMatch(/^Layer \(type\)\s+MACs\s+Forward\s+Backward\s+Time$/);
    // conv1: 2 filters × 3×3 × 6×6 outputs = 648 MACs.
    expect(text).toMatch(/conv1 \(Conv2d\)\s+648\s+1\.00 ms\s+2\.00 ms\s+3\.00 ms/);
    expect(lines.at(-1)).toBe(profileTotals(timed));
  });
});
