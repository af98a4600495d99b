/** What a chart's y axis shows: a loss (any positive number) or a fraction shown as a percentage. */
export type YKind = 'loss' | 'fraction';

/**
 * A readout or axis value: fractions as percentages (`0.8125` → `81.3%`), losses with four
 * significant digits (`0.0123456` → `0.01235`), axis labels as short as they can be.
 */
export function formatValue(value: number, kind: YKind | 'axis'): string {
  if (!Number.isFinite(value)) return '—';
  if (kind === 'fraction') return `${(value * 100).toFixed(1)}%`;
  if (kind === 'axis') {
    if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5))
      return value.toExponential(0);
    return String(Number(value.toPrecision(3)));
  }
  return String(Number(value.toPrecision(4)));
}
