import { describe, expect, it } from 'vitest';
import { chartCsv } from '../../renderer/charts/chartCsv';
import {
  alignSeries,
  isZoomed,
  logRange,
  logSafe,
  logTicks,
  lossRange,
  panWindow,
  pointCount,
  type ChartSeries,
} from '../../renderer/charts/chartData';
import { formatValue } from '../../renderer/charts/formatValue';
import { overlaySeries } from '../../renderer/compare/curves';
import type { VariantResult } from '../../src/core/compare/compareResults';

const series = (label: string, points: [number, number][]): ChartSeries => ({
  label,
  color: 'red',
  points,
});

describe('chart data for uPlot', () => {
  it('puts per-batch and per-epoch series on one sorted x axis, gaps as null', () => {
    const batch = series('batch', [
      [0.5, 2.1],
      [1, 1.8],
      [1.5, 1.2],
    ]);
    const val = series('val', [
      [2, 1.1],
      [1, 1.6],
    ]);
    expect(alignSeries([batch, val])).toEqual([
      [0.5, 1, 1.5, 2],
      [2.1, 1.8, 1.2, null],
      [null, 1.6, null, 1.1],
    ]);
  });

  it('drops non-finite x, turns non-finite y into gaps, keeps the later of two equal x', () => {
    const s = series('s', [
      [Number.NaN, 5],
      [1, Number.POSITIVE_INFINITY],
      [2, 3],
      [2, 4],
      [3, Number.NaN],
    ]);
    expect(alignSeries([s])).toEqual([
      [1, 2, 3],
      [null, 4, null],
    ]);
    expect(pointCount(alignSeries([s]))).toBe(1);
  });

  it('has no x values and empty columns before training', () => {
    expect(alignSeries([series('a', []), series('b', [])])).toEqual([[], [], []]);
    expect(pointCount([[], [], []])).toBe(0);
  });

  it('leaves zero and negative values out of a log axis, never NaN', () => {
    expect(
      logSafe([
        [1, 2, 3, 4],
        [0.5, 0, -1, null],
      ]),
    ).toEqual([
      [1, 2, 3, 4],
      [0.5, null, null, null],
    ]);
  });

  it('ranges a log axis over 1-2-5 steps, with a fallback when nothing is positive', () => {
    expect(logRange(0.7, 2.3)).toEqual([0.5, 5]);
    expect(logRange(0.03, 0.7)).toEqual([0.02, 1]);
    expect(logRange(0.2, 2)).toEqual([0.2, 2]);
    expect(logRange(1, 1)).toEqual([0.5, 2]);
    expect(logRange(0.0123, 0.0456)).toEqual([0.01, 0.05]);
    expect(logRange(null, null)).toEqual([0.01, 1]);
    expect(logRange(0, 0)).toEqual([0.01, 1]);
    expect(logRange(0.5, Number.POSITIVE_INFINITY)).toEqual([0.01, 1]);
    expect(logTicks(0.5, 5, 10)).toEqual([0.5, 1, 2, 5]);
    expect(logTicks(0.01, 0.05, 10)).toEqual([0.01, 0.02, 0.05]);
    // A short chart keeps the powers of ten only, then every other one.
    expect(logTicks(0.001, 10, 5)).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(logTicks(0.001, 10, 3)).toEqual([0.001, 0.1, 10]);
    expect(logTicks(0.5, 5, 3)).toEqual([0.5, 1, 5]);
    expect(logTicks(0.5, 5, 2)).toEqual([0.5, 5]);
    expect(logTicks(0, 1, 5)).toEqual([]);
    expect(logTicks(0.5, 5, Number.NaN)).toEqual([0.5, 1, 2, 5]);
    expect(lossRange(2)).toEqual([0, 2.1]);
    expect(lossRange(null)).toEqual([0, 1]);
  });

  it('pans a window without leaving the data and knows when the chart is zoomed', () => {
    expect(panWindow(2, 4, 1, 0, 10)).toEqual([3, 5]);
    expect(panWindow(2, 4, -5, 0, 10)).toEqual([0, 2]);
    expect(panWindow(2, 4, 9, 0, 10)).toEqual([8, 10]);
    expect(panWindow(0, 10, 3, 0, 10)).toEqual([0, 10]);
    expect(isZoomed([0, 1, 2], { min: 0, max: 2 })).toBe(false);
    expect(isZoomed([0, 1, 2], { min: 0.5, max: 2 })).toBe(true);
    expect(isZoomed([0, 1, 2], { min: 0, max: 1.5 })).toBe(true);
    expect(isZoomed([1], { min: 0.5, max: 1.5 })).toBe(false);
    expect(isZoomed([0, 1], null)).toBe(false);
  });
});

describe('chart CSV and readout', () => {
  it('writes a header and one row per x, empty cells for gaps, quoting labels', () => {
    const csv = chartCsv(
      'epoch',
      ['train', 'FC head, "big" · validation'],
      [
        [0.5, 1],
        [0.1234567891, 0.2],
        [null, 0.25],
      ],
    );
    expect(csv).toBe(
      'epoch,train,"FC head, ""big"" · validation"\n0.5,0.1234567891,\n1,0.2,0.25\n',
    );
    expect(chartCsv('epoch', ['a'], [[], []])).toBe('epoch,a\n');
  });

  it('formats losses, percentages and axis labels', () => {
    expect(formatValue(0.0123456, 'loss')).toBe('0.01235');
    expect(formatValue(2.302585, 'loss')).toBe('2.303');
    expect(formatValue(0.8125, 'fraction')).toBe('81.3%');
    expect(formatValue(Number.NaN, 'loss')).toBe('—');
    expect(formatValue(0.0001, 'axis')).toBe('1e-4');
    expect(formatValue(0.5, 'axis')).toBe('0.5');
    expect(formatValue(0, 'axis')).toBe('0');
  });
});

describe('overlay series of the compare view', () => {
  const result = (losses: number[], valLoss: number): VariantResult => ({
    outcome: 'completed',
    trainSteps: losses.map((loss, i) => ({ epoch: (i + 1) / losses.length, loss, accuracy: 0.5 })),
    epochs: [
      { epoch: 1, trainLoss: 1, trainAccuracy: 0.5, valLoss, valAccuracy: 0.9, gradientNorms: {} },
    ],
    evaluation: null,
  });

  it('gives each trained variant a solid train and a dashed validation series in its colour', () => {
    const s = overlaySeries(
      [
        { name: 'A', result: result([2, 1], 0.8) },
        { name: 'Untrained', result: undefined },
        { name: 'C', result: result([3], Number.NaN) },
      ],
      'loss',
    );
    expect(s.map((x) => [x.label, x.color, x.dashed ?? false])).toEqual([
      ['A · train', 'var(--variant-0)', false],
      ['A · validation', 'var(--variant-0)', true],
      ['C · train', 'var(--variant-2)', false],
      ['C · validation', 'var(--variant-2)', true],
    ]);
    // Smoothed training curve (0.6 · previous + 0.4 · new) and the validation point.
    expect(s[0]?.points).toEqual([
      [0.5, 2],
      [1, 1.6],
    ]);
    expect(s[1]?.points).toEqual([[1, 0.8]]);
    // A diverged validation loss is left out rather than drawn as NaN.
    expect(s[3]?.points).toEqual([]);
  });
});
