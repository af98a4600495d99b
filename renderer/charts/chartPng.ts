import type uPlot from 'uplot';
import type { ChartTheme } from './chartTheme';
import type { PlotSeries } from './plotOptions';

/**
 * The chart as a PNG: the title and a legend of the series on show, drawn above uPlot's canvas
 * (plot, axes and grid) on the panel's background, at the screen's pixel density.
 */
export function chartPng(
  u: uPlot,
  title: string,
  series: readonly PlotSeries[],
  theme: ChartTheme,
): Promise<Blob> {
  const plot = u.ctx.canvas;
  const r = plot.width / Math.max(1, u.width);
  const pad = 12;
  const measure = document.createElement('canvas').getContext('2d');
  if (!measure) return Promise.reject(new Error('This browser cannot draw on a canvas.'));
  // Lay the legend out first: it wraps onto as many lines as the width needs.
  measure.font = `12px ${theme.fontFamily}`;
  const shown = series.filter((_s, i) => u.series[i + 1]?.show !== false);
  const width = u.width + 2 * pad;
  const titleWidth = measure.measureText(title).width + 8;
  const entries: { s: PlotSeries; x: number; line: number }[] = [];
  let x = pad + titleWidth + 14;
  let line = 0;
  for (const s of shown) {
    const w = 26 + measure.measureText(s.label).width + 14;
    if (x + w > width - pad && x > pad) {
      line++;
      x = pad;
    }
    entries.push({ s, x, line });
    x += w;
  }
  const lineHeight = 20;
  const head = pad + (line + 1) * lineHeight;
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * r);
  canvas.height = Math.round((head + u.height + pad) * r);
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('This browser cannot draw on a canvas.'));
  ctx.scale(r, r);
  ctx.fillStyle = theme.panel;
  ctx.fillRect(0, 0, width, head + u.height + pad);
  ctx.textBaseline = 'middle';
  ctx.fillStyle = theme.text;
  ctx.font = `600 13px ${theme.fontFamily}`;
  ctx.fillText(title, pad, pad + lineHeight / 2);
  ctx.font = `12px ${theme.fontFamily}`;
  for (const { s, x: ex, line: l } of entries) {
    const y = pad + l * lineHeight + lineHeight / 2;
    ctx.strokeStyle = s.stroke;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dashed ? [5, 4] : []);
    ctx.beginPath();
    ctx.moveTo(ex, y);
    ctx.lineTo(ex + 20, y);
    ctx.stroke();
    ctx.fillStyle = theme.muted;
    ctx.fillText(s.label, ex + 26, y);
  }
  ctx.setLineDash([]);
  ctx.drawImage(plot, pad, head, u.width, u.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('No PNG was made.'))),
      'image/png',
    ),
  );
}
