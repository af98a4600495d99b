import { useLayoutEffect, useRef, useState } from 'react';

/** One line of a chart: its points, its legend label and its CSS colour. */
export interface Series {
  readonly label: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

const H = 122;
const PAD = { left: 44, right: 10, top: 8, bottom: 22 };

/** Nice round axis ticks (1, 2, 5 × 10^k) covering [min, max]. */
export function ticks(min: number, max: number, count = 4): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  return out;
}

/** A small SVG line chart; no chart library, so it costs nothing to redraw on every batch. */
export function LineChart({
  title,
  series,
  yMin,
  yMax,
  xLabel,
  testId,
}: {
  title: string;
  series: readonly Series[];
  yMin?: number;
  yMax?: number;
  xLabel: string;
  testId?: string;
}) {
  // Drawn at the element's own pixel width, so text and strokes are never scaled.
  const ref = useRef<SVGSVGElement>(null);
  const [W, setW] = useState(420);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setW(Math.max(160, Math.round(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).filter(Number.isFinite);
  const x0 = Math.min(...xs, 0);
  const x1 = Math.max(...xs, 1);
  const y0 = yMin ?? Math.min(...ys, 0);
  const y1 = yMax ?? Math.max(...ys, 1e-9) * 1.05;
  const sx = (x: number) => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (W - PAD.left - PAD.right);
  const sy = (y: number) =>
    H - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (H - PAD.top - PAD.bottom);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>
        {title}
        <span className="chart__unit">per {xLabel}</span>
        {series.map((s) => (
          <span key={s.label} className="chart__legend">
            <i style={{ background: s.color }} />
            {s.label}
          </span>
        ))}
      </figcaption>
      <svg ref={ref} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        {ticks(y0, y1).map((t) => (
          <g key={t}>
            <line className="chart__grid" x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} />
            <text className="chart__tick" x={PAD.left - 4} y={sy(t) + 3} textAnchor="end">
              {Math.abs(t) < 10 ? t.toFixed(t % 1 === 0 ? 0 : 2) : t}
            </text>
          </g>
        ))}
        {ticks(x0, x1, Math.max(2, Math.floor(W / 90))).map((t) => (
          <text key={`x${t}`} className="chart__tick" x={sx(t)} y={H - 6} textAnchor="middle">
            {t}
          </text>
        ))}
        {series.map((s) =>
          s.points.length === 1 ? (
            <circle
              key={s.label}
              cx={sx(s.points[0]?.[0] ?? 0)}
              cy={sy(s.points[0]?.[1] ?? 0)}
              r={3}
              fill={s.color}
            />
          ) : (
            <polyline
              key={s.label}
              fill="none"
              stroke={s.color}
              strokeWidth={1.5}
              strokeDasharray={s.dashed ? '4 3' : undefined}
              points={s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ')}
            />
          ),
        )}
        {all.length === 0 && (
          <text className="chart__empty" x={W / 2} y={H / 2} textAnchor="middle">
            No data yet
          </text>
        )}
      </svg>
    </figure>
  );
}
