import type { VariantResult } from '../../src/core/compare/compareDocument';
import type { ChartSeries } from '../charts/chartData';
import type { CurveMetric } from './compareStore';

type Point = readonly [number, number];

/** One colour per variant column, legend entry and curve (CSS variables in compare.css). */
export function variantColor(index: number): string {
  return `var(--variant-${index % 6})`;
}

/** Weight of the previous value in the training curve's exponential smoothing (as TensorBoard's slider). */
export const SMOOTHING = 0.6;

/**
 * A variant's curves for one metric: training per batch, smoothed so overlaid curves stay
 * readable, and validation per epoch. x is in epochs (a batch at 1.5 is half way into epoch 2).
 */
export function curvePoints(
  result: VariantResult | undefined,
  metric: CurveMetric,
): { train: Point[]; validation: Point[] } {
  if (!result) return { train: [], validation: [] };
  const train: Point[] = [];
  let smooth: number | undefined;
  for (const s of result.trainSteps) {
    const y = metric === 'loss' ? s.loss : s.accuracy;
    if (!Number.isFinite(y)) continue;
    smooth = smooth === undefined ? y : SMOOTHING * smooth + (1 - SMOOTHING) * y;
    train.push([s.epoch, smooth]);
  }
  // A non-finite value (a diverged run) would make the chart's scale NaN: it is left out.
  const validation: Point[] = result.epochs
    .map((e): Point => [e.epoch, metric === 'loss' ? e.valLoss : e.valAccuracy])
    .filter(([, y]) => Number.isFinite(y));
  return { train, validation };
}

/** A variant as the overlay chart needs it: its name and its results, if trained. */
export interface ChartVariant {
  readonly name: string;
  readonly result: VariantResult | undefined;
}

/**
 * The overlay chart's series: per trained variant, in the variant's colour, its smoothed
 * training curve (solid) and its validation curve (dashed, a dot per epoch). Variants without
 * results have no series (their legend entry says so).
 */
export function overlaySeries(
  variants: readonly ChartVariant[],
  metric: CurveMetric,
): ChartSeries[] {
  return variants.flatMap((v, i) => {
    const { train, validation } = curvePoints(v.result, metric);
    if (train.length + validation.length === 0) return [];
    const color = variantColor(i);
    return [
      { label: `${v.name} · train`, color, points: train },
      { label: `${v.name} · validation`, color, points: validation, dashed: true, dots: true },
    ];
  });
}
