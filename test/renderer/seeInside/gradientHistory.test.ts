import { describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { TrainEvent } from '../../../src/api/training';
import {
  addSample,
  combineByNode,
  drawnValues,
  EMPTY_HISTORY,
  gradientHealth,
  MAX_GRADIENT_POINTS,
  reduceGradientEvent,
  type GradientHistory,
} from '../../../renderer/training/gradientHistory';
import { formatNorm, sparklinePoints } from '../../../renderer/flow/sparkline';
import { sparkTitle } from '../../../renderer/flow/GradientSparkline';

vi.mock('../../../renderer/api/engine', () => ({ getEngine: () => ({}) }));
const { createGradientFeed } = await import('../../../renderer/flow/gradientStore');

const started = (runId = 'r1'): TrainEvent => ({
  type: 'started',
  runId,
  backend: 'wasm',
  dataset: {
    name: 'digits',
    classNames: ['0', '1'],
    inputShape: [1, 28, 28],
    trainSize: 800,
    validationSize: 200,
    skipped: 0,
  },
  epochs: 2,
  firstEpoch: 1,
  batchesPerEpoch: 25,
  trainableParams: 61706,
  runDir: 'runs/r1',
});
const batch = (b: number, norms?: Record<string, number>, runId = 'r1', epoch = 1): TrainEvent => ({
  type: 'batch',
  runId,
  epoch,
  batch: b,
  batches: 25,
  loss: 1,
  accuracy: 0.5,
  samplesPerSecond: 900,
  etaSeconds: 10,
  lr: 0.001,
  ...(norms && { gradientNorms: norms }),
});
const epoch = (e: number, norms: Record<string, number>): TrainEvent => ({
  type: 'epoch',
  runId: 'r1',
  epoch: e,
  epochs: 2,
  trainLoss: 1,
  trainAccuracy: 0.6,
  valLoss: 0.9,
  valAccuracy: 0.7,
  seconds: 9,
  samplesPerSecond: 900,
  lr: 0.001,
  gradientNorms: norms,
});

const fold = (events: TrainEvent[], from: GradientHistory = EMPTY_HISTORY) =>
  events.reduce(reduceGradientEvent, from);

describe('gradient history', () => {
  it('keeps one finite series per node, on the batch axis', () => {
    const h = fold([
      started(),
      batch(1, { conv1: 0.5, fc1: 0.25 }),
      batch(2),
      batch(11, { conv1: 0.4, fc1: 0.2 }),
      batch(25, { conv1: 0.3, fc1: Number.NaN }),
      // The epoch event repeats the last batch's norms: not a new point.
      epoch(1, { conv1: 0.3, fc1: 0.1 }),
      batch(1, { conv1: 0.2, fc1: 0.1 }, 'r1', 2),
    ]);
    expect([...h.series.keys()]).toEqual(['conv1', 'fc1']);
    expect(h.series.get('conv1')?.steps).toEqual([1, 11, 25, 26]);
    expect(h.series.get('conv1')?.values).toEqual([0.5, 0.4, 0.3, 0.2]);
    // NaN is counted, never drawn.
    expect(h.series.get('fc1')?.values).toEqual([0.25, 0.2, 0.1]);
    expect(h.series.get('fc1')?.nonFinite).toBe(1);
    for (const s of h.series.values()) expect(s.values.every(Number.isFinite)).toBe(true);
    expect(h.largestLatest).toBe(0.2);
  });

  it("uses the epoch event's norms when no batch event carried that step", () => {
    const h = fold([started(), batch(1, { conv1: 1 }), epoch(1, { conv1: 0.5 })]);
    expect(h.series.get('conv1')?.steps).toEqual([1, 25]);
  });

  it('ignores other runs and starts afresh with each run', () => {
    let h = fold([started(), batch(1, { conv1: 1 }), batch(11, { conv1: 9 }, 'other')]);
    expect(h.series.get('conv1')?.values).toEqual([1]);
    h = fold([started('r2'), batch(1, { fc1: 2 }, 'r2')], h);
    expect([...h.series.keys()]).toEqual(['fc1']);
    expect(h.runId).toBe('r2');
  });

  it('caps each series, keeping the whole run at a coarser step and the latest point', () => {
    let h: GradientHistory = { ...EMPTY_HISTORY, runId: 'r1', batchesPerEpoch: 10_000 };
    for (let step = 1; step <= 1000; step++) h = addSample(h, step, { conv1: step });
    const s = h.series.get('conv1');
    expect(s?.values.length).toBeLessThanOrEqual(MAX_GRADIENT_POINTS);
    expect(s?.values.length).toBeGreaterThan(MAX_GRADIENT_POINTS / 2);
    expect(s?.steps[0]).toBe(1);
    // Evenly spaced over the whole run, aligned with their values; the latest is still drawn.
    const gaps = new Set(s?.steps.slice(1).map((x, i) => x - (s.steps[i] ?? 0)));
    expect([...gaps]).toEqual([s?.stride]);
    expect(s?.steps).toEqual(s?.values);
    expect(s?.latest).toBe(1000);
    expect(drawnValues(s!).at(-1)).toBe(1000);
    expect(s?.first).toBe(1);
  });

  it('combines the inner nodes of a block into one L2 norm, √(Σ‖gᵢ‖²)', () => {
    const combined = combineByNode({
      conv1: 2,
      'layer1/conv1': 3,
      'layer1/bn1': 4,
      'layer1/conv2': 12,
    });
    expect(combined.get('conv1')).toEqual({ norm: 2, parts: 1 });
    expect(combined.get('layer1')).toEqual({ norm: 13, parts: 3 });
    const h = fold([started(), batch(1, { 'layer1/conv1': 3, 'layer1/conv2': 4 })]);
    expect(h.series.get('layer1')).toMatchObject({ values: [5], latest: 5, parts: 2 });
    expect(h.series.has('layer1/conv1')).toBe(false);
    expect(sparkTitle('layer1', h.series.get('layer1')!, 'ok', true)).toContain(
      '2 weighted inner layers',
    );
  });

  it('flags vanishing and exploding gradients', () => {
    const h = fold([
      started(),
      batch(1, { conv1: 1e-3, fc1: 1, fc2: 0.5 }),
      batch(11, { conv1: 1e-6, fc1: 1, fc2: 80 }),
    ]);
    const health = (id: string) => gradientHealth(h.series.get(id)!, h.largestLatest);
    expect(health('conv1')).toBe('vanishing'); // 1e-6 < 1e-4 · 80
    expect(health('fc1')).toBe('ok');
    expect(health('fc2')).toBe('exploding'); // 160× its first value
    const nan = fold([started(), batch(1, { fc1: Number.POSITIVE_INFINITY })]);
    expect(gradientHealth(nan.series.get('fc1')!, nan.largestLatest)).toBe('exploding');
  });

  it('draws on a log scale inside the box', () => {
    expect(sparklinePoints([1, 10, 100], 100, 12)).toBe('1,11 50,6 99,1');
    expect(sparklinePoints([3], 100, 12)).toBe('50,6');
    expect(sparklinePoints([], 100, 12)).toBe('');
    expect(formatNorm(0.012345)).toBe('0.0123');
    expect(formatNorm(1.5e-7)).toBe('1.5e-7');
  });

  it('publishes at most once per flush interval, at once when a run starts', () => {
    vi.useFakeTimers();
    const store = createStore(() => ({ history: EMPTY_HISTORY, visible: true }));
    const updates = vi.fn();
    store.subscribe(updates);
    const feed = createGradientFeed(store, 250);
    feed(started());
    expect(updates).toHaveBeenCalledTimes(1);
    for (let b = 1; b <= 25; b++) feed(batch(b, { conv1: 1 / b }));
    expect(updates).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(250);
    expect(updates).toHaveBeenCalledTimes(2);
    expect(store.getState().history.series.get('conv1')?.values).toHaveLength(25);
    vi.useRealTimers();
  });
});
