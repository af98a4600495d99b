/** One line of a chart: its points, its legend label and its CSS colour (a `var(--x)` is fine). */
export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  /** Dashed line (validation curves). */
  readonly dashed?: boolean;
  /** Always draw a dot at each point (sparse, per-epoch series). */
  readonly dots?: boolean;
}

/**
 * uPlot's columnar data: `[xs, ys_1, …, ys_n]`, every array as long as `xs`, `null` where a
 * series has no value at that x. Plain arrays, so it is assignable to `uPlot.AlignedData`.
 */
export type Columns = [number[], ...(number | null)[][]];

/**
 * Puts series with different x values (per batch, per epoch) on one shared, sorted x axis.
 * A non-finite x is dropped; a non-finite y becomes a gap (`null`); when a series has two
 * points at the same x the later one wins.
 */
export function alignSeries(series: readonly ChartSeries[]): Columns {
  const xSet = new Set<number>();
  for (const s of series) for (const [x] of s.points) if (Number.isFinite(x)) xSet.add(x);
  const xs = [...xSet].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const col: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const [x, y] of s.points) {
      const i = at.get(x);
      if (i !== undefined) col[i] = Number.isFinite(y) ? y : null;
    }
    return col;
  });
  return [xs, ...ys];
}

/** The data a log-scaled y axis can draw: every value ≤ 0 (log undefined) becomes a gap. */
export function logSafe(data: Columns): Columns {
  const [xs, ...ys] = data;
  return [xs, ...ys.map((col) => col.map((y) => (y !== null && y > 0 ? y : null)))];
}

/** How many drawable (non-null) values the data holds, over all series. */
export function pointCount(data: Columns): number {
  let n = 0;
  for (const col of data.slice(1)) for (const y of col) if (y !== null) n++;
  return n;
}

/** The 1-2-5 ladder (…, 0.5, 1, 2, 5, 10, …): the largest step ≤ v, or the smallest ≥ v when `up`. */
function ladder(v: number, up: boolean): number {
  const decade = 10 ** Math.floor(Math.log10(v));
  const steps = [1, 2, 5, 10].map((m) => m * decade);
  return up
    ? (steps.find((s) => s >= v * (1 - 1e-12)) ?? 10 * decade)
    : ([...steps].reverse().find((s) => s <= v * (1 + 1e-12)) ?? decade);
}

/**
 * A log axis' range: the 1-2-5 steps around [min, max], e.g. 0.7–2.3 → 0.5–5. Without any
 * positive data (nothing trained yet, everything ≤ 0) it falls back to 0.01–1 instead of NaN.
 */
export function logRange(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null || !(min > 0) || !(max > 0) || !Number.isFinite(max))
    return [0.01, 1];
  const lo = ladder(min, false);
  const hi = ladder(max, true);
  return hi > lo ? [lo, hi] : [ladder(lo / 1.5, false), ladder(hi * 1.5, true)];
}

/**
 * A log axis' ticks: the 1-2-5 steps within [min, max]; when more than `maxCount` would crowd
 * a short chart, the ends and the powers of ten, then every k-th power; at least the two ends.
 */
export function logTicks(min: number, max: number, maxCount: number): number[] {
  if (!(min > 0) || !(max > min) || !Number.isFinite(max)) return [];
  const cap = Number.isFinite(maxCount) ? Math.max(2, maxCount) : 8;
  const all: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++)
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) all.push(v);
    }
  if (all.length <= cap) return all;
  const decades = all.filter((v) => v.toExponential().startsWith('1e'));
  const ends = [all[0] ?? min, all.at(-1) ?? max];
  const withEnds = [...new Set([ends[0] ?? min, ...decades, ends[1] ?? max])];
  if (withEnds.length <= cap) return withEnds;
  if (decades.length < 2) return ends;
  const every = Math.ceil(decades.length / cap);
  return decades.filter((_v, i) => i % every === 0);
}

/** A linear loss axis: from 0 to a little above the largest value (1 when there is none). */
export function lossRange(max: number | null): [number, number] {
  return [0, max !== null && max > 0 && Number.isFinite(max) ? max * 1.05 : 1];
}

/**
 * Shifts the x window [min, max] by `delta` (a pan) without leaving the data's extent
 * [lo, hi]: the window keeps its width and stops at either end.
 */
export function panWindow(
  min: number,
  max: number,
  delta: number,
  lo: number,
  hi: number,
): [number, number] {
  const width = max - min;
  if (!(width > 0) || width >= hi - lo) return [min, max];
  const start = Math.min(Math.max(min + delta, lo), hi - width);
  return [start, start + width];
}

/** Whether the x window [min, max] shows less than all of `xs` (the user zoomed or panned). */
export function isZoomed(
  xs: ArrayLike<number>,
  window: { min: number; max: number } | null,
): boolean {
  const lo = xs[0];
  const hi = xs[xs.length - 1];
  if (!window || lo === undefined || hi === undefined || !(hi > lo)) return false;
  return window.min > lo || window.max < hi;
}
