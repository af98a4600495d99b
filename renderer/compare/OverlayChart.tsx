import { useMemo } from 'react';
import { UPlotChart } from '../charts/UPlotChart';
import type { CurveMetric } from './compareStore';
import { curvePoints, overlaySeries, variantColor, type ChartVariant } from './curves';

/**
 * Every variant's curves in one chart: one colour per variant, training per batch (smoothed,
 * solid) and validation per epoch (dashed, with dots). The hover readout, zoom, log scale,
 * legend toggles and PNG / CSV come from {@link UPlotChart}.
 */
export function OverlayChart({
  variants,
  metric,
  testId = 'compare-curve',
  fileStem = 'comparison',
  emptyText = 'No results yet: press Train all',
}: {
  variants: readonly ChartVariant[];
  metric: CurveMetric;
  /** The compare view's by default; the History panel names its own. */
  testId?: string;
  fileStem?: string;
  emptyText?: string;
}) {
  const series = useMemo(() => overlaySeries(variants, metric), [variants, metric]);
  const hasCurve = useMemo(
    () =>
      variants.map((v) => {
        const c = curvePoints(v.result, metric);
        return c.train.length + c.validation.length > 0;
      }),
    [variants, metric],
  );
  const count = hasCurve.filter(Boolean).length;
  return (
    <UPlotChart
      title={metric === 'loss' ? 'Loss' : 'Accuracy'}
      xLabel="epoch"
      series={series}
      y={metric === 'loss' ? 'loss' : 'fraction'}
      logToggle={metric === 'loss'}
      testId={testId}
      fileStem={`${fileStem}-${metric}`}
      emptyText={emptyText}
      className="compare-chart"
      dataAttributes={{ 'data-series': count }}
      caption={
        <span className="compare-chart__legend">
          {variants.map((v, i) => (
            <span
              key={i}
              className={`compare-chart__entry${hasCurve[i] ? '' : ' is-empty'}`}
              title={hasCurve[i] ? undefined : 'No results for this variant yet'}
              data-testid="compare-legend-entry"
            >
              <i style={{ background: variantColor(i) }} />
              {v.name}
            </span>
          ))}
          <span className="compare-chart__key">
            <svg width="22" height="6" aria-hidden>
              <line x1="0" x2="22" y1="3" y2="3" className="compare-chart__key-line" />
            </svg>
            train (per batch, smoothed)
            <svg width="22" height="6" aria-hidden>
              <line
                x1="0"
                x2="22"
                y1="3"
                y2="3"
                strokeDasharray="4 3"
                className="compare-chart__key-line"
              />
            </svg>
            validation (per epoch)
          </span>
        </span>
      }
    />
  );
}
