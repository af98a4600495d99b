/**
 * Pure geometry and text of the gradient sparklines. Norms span orders of magnitude (that is
 * the point of watching them), so the y axis is log10, scaled to the series' own range.
 */

/** `x,y x,y …` for an SVG polyline of `values` in a width×height box (1 px inset). */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  const logs = values.map((v) => Math.log10(Math.max(v, Number.MIN_VALUE)));
  if (logs.length === 0) return '';
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const span = hi - lo;
  const inner = height - 2;
  const x = (i: number) =>
    logs.length === 1 ? width / 2 : 1 + (i * (width - 2)) / (logs.length - 1);
  // A flat series sits in the middle rather than on an edge.
  const y = (l: number) => (span === 0 ? height / 2 : 1 + inner - ((l - lo) / span) * inner);
  return logs.map((l, i) => `${round(x(i))},${round(y(l))}`).join(' ');
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Compact norm text: `0.0123`, `4.56`, `1.2e-7`, `3.4e+5`. */
export function formatNorm(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n === 0) return '0';
  const a = Math.abs(n);
  if (a >= 0.001 && a < 1000) return String(Number(n.toPrecision(3)));
  return n.toExponential(1);
}
