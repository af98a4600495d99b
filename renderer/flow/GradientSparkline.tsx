import { memo } from 'react';
import {
  EXPLODING_GROWTH,
  EXPLODING_NORM,
  VANISHING_RATIO,
  drawnValues,
  type GradientHealth,
  type GradientSeries,
} from '../training/gradientHistory';
import { useGradientHealth, useGradientSeries } from './gradientStore';
import { formatNorm, sparklinePoints } from './sparkline';

const WIDTH = 120;
const HEIGHT = 16;

/**
 * A node's gradient norm over the run, drawn under its badges once the run has sampled it.
 * Nodes without weights never get a series, so they render nothing and never re-render.
 */
export const GradientSparkline = memo(function GradientSparkline({
  id,
  isBlock,
}: {
  id: string;
  isBlock: boolean;
}) {
  const series = useGradientSeries(id);
  const health = useGradientHealth(id);
  if (series === undefined) return null;
  const points = sparklinePoints(drawnValues(series), WIDTH, HEIGHT);
  const [endX, endY] = (points.split(' ').at(-1) ?? '0,0').split(',');
  return (
    <div
      className={`grad-spark grad-spark--${health}`}
      data-testid={`grad-spark-${id}`}
      data-health={health}
      title={sparkTitle(id, series, health, isBlock)}
    >
      <span className="grad-spark__label">∇</span>
      <svg
        width={WIDTH}
        height={HEIGHT}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        aria-hidden="true"
        className="grad-spark__line"
      >
        <polyline points={points} />
        <circle cx={endX} cy={endY} r={1.8} />
      </svg>
      <span className="grad-spark__value">
        {series.count === 0 ? 'NaN' : formatNorm(series.latest)}
      </span>
    </div>
  );
});

/** The hover text: what is drawn, the latest value, the range and — if any — the alarm. */
export function sparkTitle(
  id: string,
  s: GradientSeries,
  health: GradientHealth,
  isBlock: boolean,
): string {
  const lines = [
    `Gradient L2 norm of ${id} over the run (log scale): ` +
      (s.count === 0
        ? 'no finite value yet'
        : `latest ${formatNorm(s.latest)} at batch ${s.latestStep}`),
  ];
  if (s.count > 0)
    lines.push(
      `${s.count} samples, drawn min ${formatNorm(Math.min(...s.values))}, max ${formatNorm(Math.max(...s.values))}`,
    );
  if (isBlock)
    lines.push(`Block: the combined norm √(Σ‖gᵢ‖²) of its ${s.parts} weighted inner layers.`);
  if (health === 'vanishing')
    lines.push(`Vanishing: below ${VANISHING_RATIO} of the largest node's gradient norm.`);
  if (health === 'exploding')
    lines.push(
      s.nonFinite > 0
        ? `Exploding: ${s.nonFinite} samples were NaN or infinite.`
        : `Exploding: over ${EXPLODING_GROWTH}× its first value or above ${formatNorm(EXPLODING_NORM)}.`,
    );
  return lines.join('\n');
}
