import type { Columns } from './chartData';

/** A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180). */
function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The chart's data as CSV: a header (`epoch,train,validation`), then one row per x value, with
 * an empty cell where a series has no value there. Numbers keep their full precision.
 */
export function chartCsv(xLabel: string, labels: readonly string[], data: Columns): string {
  const [xs, ...ys] = data;
  const lines = [[xLabel, ...labels].map(field).join(',')];
  xs.forEach((x, i) => {
    lines.push([String(x), ...ys.map((col) => (col[i] == null ? '' : String(col[i])))].join(','));
  });
  return `${lines.join('\n')}\n`;
}
