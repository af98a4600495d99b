import { formatValue, viridis, type Range } from './pixels';

const STOPS = Array.from({ length: 9 }, (_, i) => {
  const [r, g, b] = viridis(i / 8);
  return `rgb(${r} ${g} ${b}) ${(i / 8) * 100}%`;
}).join(', ');

/** The colour scale: low → high, with the values at its ends when one range applies to all. */
export function ColourLegend({ range }: { range: Range | null }) {
  return (
    <div className="inspect-legend" data-testid="colour-legend">
      <span>{range ? formatValue(range.min) : 'low'}</span>
      <i style={{ background: `linear-gradient(to right, ${STOPS})` }} />
      <span>{range ? formatValue(range.max) : 'high'}</span>
      <span className="muted">colour scale:</span>
    </div>
  );
}
