import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import '../styles/charts.css';
import { downloadBlob, downloadText, fileSlug } from '../files/download';
import { chartCsv } from './chartCsv';
import {
  alignSeries,
  isZoomed,
  logSafe,
  pointCount,
  type ChartSeries,
  type Columns,
} from './chartData';
import { chartPng } from './chartPng';
import { chartTheme, resolveColor } from './chartTheme';
import { ChartTools } from './ChartTools';
import type { YKind } from './formatValue';
import { panPlugin, xWindow } from './panPlugin';
import { plotOptions, type PlotSeries } from './plotOptions';

/** Bumps when the document switches between dark and light, so canvases redraw in its colours. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const observer = new MutationObserver(() => setVersion((v) => v + 1));
    observer.observe(document.documentElement, { attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return version;
}

/** Without data uPlot leaves x unranged and drops its axis: an empty chart keeps an x of 0–1. */
function keepEmptyAxis(u: uPlot): void {
  if (u.data[0].length === 0) u.setScale('x', { min: 0, max: 1 });
}

/** Sets new data and keeps a zoomed or panned x window where the user put it. */
function updateData(u: uPlot, data: Columns, zoomed: boolean): void {
  const view = xWindow(u);
  if (!zoomed || !view) {
    u.setData(data);
    return keepEmptyAxis(u);
  }
  u.setData(data, false);
  u.setScale('x', view);
}

/**
 * A uPlot line chart: hover readout of every series in the legend, drag on x to zoom, Shift +
 * drag to pan, double-click to reset; click a legend entry to hide or show it; optional log y;
 * saves as PNG and CSV. Sized by its container (a ResizeObserver), destroyed on unmount.
 */
export function UPlotChart({
  title,
  xLabel,
  series,
  y,
  logToggle = false,
  testId,
  fileStem,
  emptyText,
  className,
  caption,
  dataAttributes,
}: {
  title: string;
  xLabel: string;
  series: readonly ChartSeries[];
  y: YKind;
  logToggle?: boolean;
  testId: string;
  /** File name of the PNG and CSV without extension, e.g. `training-loss`. */
  fileStem: string;
  emptyText: string;
  className?: string;
  caption?: ReactNode;
  dataAttributes?: Readonly<Record<`data-${string}`, string | number>>;
}) {
  const plotRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const styled = useRef<readonly PlotSeries[]>([]);
  const zoomedRef = useRef(false);
  const [zoomed, setZoomed] = useState(false);
  const [log, setLog] = useState(false);
  const logOn = logToggle && log;
  const themeVersion = useThemeVersion();
  const data = useMemo(() => alignSeries(series), [series]);
  const shown = useMemo(() => (logOn ? logSafe(data) : data), [data, logOn]);
  const latest = useRef(shown);
  latest.current = shown;
  // The plot is rebuilt only when what it draws changes shape; new points go through setData.
  const styleKey = JSON.stringify(series.map((s) => [s.label, s.color, s.dashed, s.dots]));

  useLayoutEffect(() => {
    const el = plotRef.current;
    const legend = legendRef.current;
    if (!el || !legend) return;
    const theme = chartTheme(el);
    const look = (JSON.parse(styleKey) as [string, string, boolean?, boolean?][]).map(
      ([label, color, dashed, dots]): PlotSeries => ({
        label,
        stroke: resolveColor(el, color),
        dashed,
        dots,
      }),
    );
    styled.current = look;
    const zoomWatch: uPlot.Plugin = {
      hooks: {
        setScale: (u, key) => {
          if (key !== 'x') return;
          const now = isZoomed(u.data[0], xWindow(u));
          zoomedRef.current = now;
          setZoomed(now);
        },
      },
    };
    const u = new uPlot(
      plotOptions({
        width: Math.max(160, el.clientWidth),
        height: Math.max(80, el.clientHeight),
        xLabel,
        y,
        log: logOn,
        series: look,
        theme,
        legendInto: legend,
        plugins: [panPlugin(), zoomWatch],
        onYTicks: (labels) => {
          const figure = el.closest('figure');
          if (figure) figure.dataset.yTicks = labels.join(' ');
        },
      }),
      latest.current,
      el,
    );
    plot.current = u;
    keepEmptyAxis(u);
    const observer = new ResizeObserver(() => {
      const width = Math.max(160, Math.floor(el.clientWidth));
      const height = Math.max(80, Math.floor(el.clientHeight));
      if (width !== u.width || height !== u.height) u.setSize({ width, height });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
      zoomedRef.current = false;
      setZoomed(false);
    };
  }, [styleKey, xLabel, y, logOn, themeVersion]);

  useEffect(() => {
    const u = plot.current;
    if (u && u.data !== shown) updateData(u, shown, zoomedRef.current);
  }, [shown]);

  const points = pointCount(shown);
  const stem = fileSlug(fileStem, 'chart');
  return (
    <figure
      className={`uchart${className ? ` ${className}` : ''}`}
      data-testid={testId}
      data-points={points}
      data-log={logOn ? 'true' : 'false'}
      {...dataAttributes}
    >
      <figcaption className="uchart__head">
        <span className="uchart__title">{title}</span>
        {caption}
        <ChartTools
          testId={testId}
          log={logToggle ? logOn : undefined}
          zoomed={zoomed}
          empty={points === 0}
          onLog={() => setLog((v) => !v)}
          onReset={() => {
            const u = plot.current;
            if (u) u.setData(u.data);
          }}
          onPng={() => {
            const u = plot.current;
            const el = plotRef.current;
            if (!u || !el) return;
            void chartPng(u, title, styled.current, chartTheme(el)).then((blob) =>
              downloadBlob(`${stem}.png`, blob),
            );
          }}
          onCsv={() =>
            downloadText(
              `${stem}.csv`,
              chartCsv(
                xLabel,
                series.map((s) => s.label),
                data,
              ),
              'text/csv',
            )
          }
        />
      </figcaption>
      <div className="uchart__legend" ref={legendRef} data-testid={`${testId}-legend`} />
      <div className="uchart__body">
        <div className="uchart__plot" ref={plotRef} />
        {points === 0 && <div className="uchart__empty">{emptyText}</div>}
      </div>
    </figure>
  );
}
