import type { TrainEvent } from '../../src/api/training';

/**
 * The gradient-flow history of a run, per canvas node: the L2 norm of each node's gradient at
 * every batch the engine sampled (every GRADIENT_NORM_EVERY-th batch and each epoch's last).
 * Pure: `reduceGradientEvent` folds train events into a new history; nothing here touches React.
 */

/** Points kept per node: the sparkline is ~100 px wide, so more would not be seen. */
export const MAX_GRADIENT_POINTS = 96;

/** A node is vanishing when its latest norm is below this share of the largest node's. */
export const VANISHING_RATIO = 1e-4;
/** A node is exploding when its latest norm grew this many times over its first sample… */
export const EXPLODING_GROWTH = 100;
/** …or passes this absolute value (a gradient norm of a healthy CNN is far below). */
export const EXPLODING_NORM = 1e4;

export interface GradientSeries {
  /** Batch step (batches since the run began) of each kept value, evenly spaced in samples. */
  readonly steps: readonly number[];
  /** L2 norm at each kept step; always finite. */
  readonly values: readonly number[];
  /** Every `stride`-th finite sample is kept; doubles each time the series is halved. */
  readonly stride: number;
  /** Finite samples seen. */
  readonly count: number;
  /** The latest finite norm and its step (kept even when the stride skips it). */
  readonly latest: number;
  readonly latestStep: number;
  /** The first finite norm of the run (the reference for "exploding"). */
  readonly first: number;
  /** Samples whose norm was NaN or ±Infinity (left out of `values`, counted as exploding). */
  readonly nonFinite: number;
  /** Inner layers whose norms are combined (blocks); 1 for a plain layer. */
  readonly parts: number;
}

export interface GradientHistory {
  readonly runId: string | null;
  /** Batches per epoch, to place the epoch event's sample on the batch axis. */
  readonly batchesPerEpoch: number;
  /** Step of the latest sample: later events repeating it (the epoch event) are skipped. */
  readonly lastStep: number;
  /** By top-level canvas node id; block entries combine their inner nodes. */
  readonly series: ReadonlyMap<string, GradientSeries>;
  /** The largest latest norm over all nodes (the reference for "vanishing"). */
  readonly largestLatest: number;
}

export const EMPTY_HISTORY: GradientHistory = {
  runId: null,
  batchesPerEpoch: 0,
  lastStep: 0,
  series: new Map(),
  largestLatest: 0,
};

export type GradientHealth = 'ok' | 'vanishing' | 'exploding';

/**
 * Combines per-id norms into per-canvas-node norms. Inner ids of blocks (`block1/conv1`) belong
 * to their block, whose norm is the L2 norm of all its inner gradients together:
 * √(Σ normᵢ²) — the norm of the concatenated gradient, so it is comparable with a plain layer's.
 */
export function combineByNode(
  norms: Readonly<Record<string, number>>,
): Map<string, { norm: number; parts: number }> {
  const squares = new Map<string, { sum: number; parts: number }>();
  for (const [id, norm] of Object.entries(norms)) {
    const slash = id.indexOf('/');
    const top = slash === -1 ? id : id.slice(0, slash);
    const entry = squares.get(top) ?? { sum: 0, parts: 0 };
    // A non-finite part makes the whole block non-finite, as the real combined norm would be.
    squares.set(top, { sum: entry.sum + norm * norm, parts: entry.parts + 1 });
  }
  return new Map([...squares].map(([id, e]) => [id, { norm: Math.sqrt(e.sum), parts: e.parts }]));
}

/**
 * Adds one sample. The series keeps every `stride`-th sample; when it is full it drops every
 * other kept point and doubles the stride, so the whole run stays drawn at an even spacing.
 */
function append(
  series: GradientSeries | undefined,
  step: number,
  norm: number,
  parts: number,
): GradientSeries {
  const base: GradientSeries = series ?? {
    steps: [],
    values: [],
    stride: 1,
    count: 0,
    latest: NaN,
    latestStep: 0,
    first: NaN,
    nonFinite: 0,
    parts,
  };
  if (!Number.isFinite(norm)) return { ...base, nonFinite: base.nonFinite + 1, parts };
  const kept = base.count % base.stride === 0;
  let steps = kept ? [...base.steps, step] : base.steps;
  let values = kept ? [...base.values, norm] : base.values;
  let stride = base.stride;
  if (values.length > MAX_GRADIENT_POINTS) {
    steps = steps.filter((_, i) => i % 2 === 0);
    values = values.filter((_, i) => i % 2 === 0);
    stride *= 2;
  }
  return {
    steps,
    values,
    stride,
    count: base.count + 1,
    latest: norm,
    latestStep: step,
    first: base.count === 0 ? norm : base.first,
    nonFinite: base.nonFinite,
    parts,
  };
}

/** The values a sparkline draws: the kept ones, then the latest if the stride skipped it. */
export function drawnValues(series: GradientSeries): readonly number[] {
  return series.count > 0 && series.steps.at(-1) !== series.latestStep
    ? [...series.values, series.latest]
    : series.values;
}

/** Folds a batch of norms taken at `step` into the history. */
export function addSample(
  history: GradientHistory,
  step: number,
  norms: Readonly<Record<string, number>>,
): GradientHistory {
  if (step <= history.lastStep) return history;
  const series = new Map(history.series);
  for (const [id, { norm, parts }] of combineByNode(norms)) {
    series.set(id, append(series.get(id), step, norm, parts));
  }
  return { ...history, lastStep: step, series, largestLatest: largestLatest(series) };
}

function largestLatest(series: ReadonlyMap<string, GradientSeries>): number {
  let largest = 0;
  for (const s of series.values()) if (s.count > 0) largest = Math.max(largest, s.latest);
  return largest;
}

/** Folds one train event into the history; other runs' events and events without norms change nothing. */
export function reduceGradientEvent(history: GradientHistory, event: TrainEvent): GradientHistory {
  if (event.type === 'started') {
    return { ...EMPTY_HISTORY, runId: event.runId, batchesPerEpoch: event.batchesPerEpoch };
  }
  if (history.runId !== null && event.runId !== history.runId) return history;
  if (event.type === 'batch') {
    const base =
      history.runId === null
        ? { ...history, runId: event.runId, batchesPerEpoch: event.batches }
        : history;
    if (event.gradientNorms === undefined) return base;
    return addSample(base, (event.epoch - 1) * event.batches + event.batch, event.gradientNorms);
  }
  if (event.type === 'epoch' && history.batchesPerEpoch > 0) {
    // The epoch's last batch: usually already sampled by its batch event, then skipped here.
    return addSample(history, event.epoch * history.batchesPerEpoch, event.gradientNorms);
  }
  return history;
}

/** Whether a node's latest gradient is healthy, vanishing or exploding. */
export function gradientHealth(series: GradientSeries, largest: number): GradientHealth {
  const latest = series.latest;
  if (series.nonFinite > 0) return 'exploding';
  if (series.count === 0) return 'ok';
  if (latest > EXPLODING_NORM || (series.first > 0 && latest > EXPLODING_GROWTH * series.first))
    return 'exploding';
  if (largest > 0 && latest < VANISHING_RATIO * largest) return 'vanishing';
  return 'ok';
}
