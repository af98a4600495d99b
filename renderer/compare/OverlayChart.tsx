import { useLayoutEffect, useRef, useState } from 'react';
import type { VariantResult } from '../../src/core/compare/compareDocument';
import { ticks } from '../training/LineChart';
import type { CurveMetric } from './compareStore';
import { curvePoints, variantColor } from './curves';

const H = 260;
const PAD = { left: 48, right: 14, top: 10, bottom: 26 };

export interface ChartVariant {
  readonly name: string;
  readonly result: VariantResult | undefined;
}

/**
 * Every variant's curves in one chart: one colour per variant, training per batch (smoothed,
 * solid) and validation per epoch (dashed, with dots).
 */
export function OverlayChart({
  variants,
  metric,
  epochs,
}: {
  variants: readonly ChartVariant[];
  metric: CurveMetric;
  epochs: number;
}) {
  const ref = useRef<SVGSVGElement>(null);
  const [W, setW] = useState(720);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setW(Math.max(240, Math.round(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const curves = variants.map((v) => curvePoints(v.result, metric));
  const ys = curves.flatMap((c) => [...c.train, ...c.validation].map((p) => p[1]));
  const x1 = Math.max(epochs, 1, ...curves.flatMap((c) => c.validation.map((p) => p[0])));
  const y0 = 0;
  const y1 = metric === 'accuracy' ? 1 : Math.max(...ys, 0.5) * 1.05;
  const sx = (x: number) => PAD.left + (x / x1) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const line = (points: readonly (readonly [number, number])[]) =>
    points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
  const label = (t: number) =>
    metric === 'accuracy' ? `${Math.round(t * 100)}%` : t.toFixed(t % 1 === 0 ? 0 : 1);
  const trained = curves.filter((c) => c.train.length + c.validation.length > 0).length;
  return (
    <figure className="compare-chart" data-testid="compare-curve" data-series={trained}>
      <figcaption className="compare-chart__legend">
        {variants.map((v, i) => (
          <span
            key={i}
            className={`compare-chart__entry${curves[i]?.train.length || curves[i]?.validation.length ? '' : ' is-empty'}`}
            title={curves[i]?.validation.length ? undefined : 'No results for this variant yet'}
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
          <span className="compare-chart__axis">x: epochs</span>
        </span>
      </figcaption>
      <svg ref={ref} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${metric} per epoch`}>
        {ticks(y0, y1).map((t) => (
          <g key={t}>
            <line className="chart__grid" x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} />
            <text className="chart__tick" x={PAD.left - 6} y={sy(t) + 3} textAnchor="end">
              {label(t)}
            </text>
          </g>
        ))}
        {ticks(0, x1, Math.min(x1, Math.max(2, Math.floor(W / 90)))).map((t) => (
          <text key={`x${t}`} className="chart__tick" x={sx(t)} y={H - 8} textAnchor="middle">
            {t}
          </text>
        ))}
        {curves.map((c, i) =>
          c.train.length + c.validation.length === 0 ? null : (
            <g
              key={i}
              data-testid="compare-series"
              data-variant={variants[i]?.name}
              style={{ color: variantColor(i) }}
            >
              {c.train.length > 1 && (
                <polyline className="compare-chart__train" points={line(c.train)} />
              )}
              {c.validation.length > 1 && (
                <polyline className="compare-chart__val" points={line(c.validation)} />
              )}
              {c.validation.map(([x, y]) => (
                <circle key={x} className="compare-chart__dot" cx={sx(x)} cy={sy(y)} r={3.2} />
              ))}
            </g>
          ),
        )}
        {trained === 0 && (
          <text className="chart__empty" x={W / 2} y={H / 2} textAnchor="middle">
            No results yet: press Train all
          </text>
        )}
      </svg>
    </figure>
  );
}
