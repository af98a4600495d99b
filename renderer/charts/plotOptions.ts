import type uPlot from 'uplot';
import type { ChartTheme } from './chartTheme';
import { logRange, logTicks, lossRange } from './chartData';
import { formatValue, type YKind } from './formatValue';

/** A series as uPlot draws it: the label, the colour already resolved from CSS, the style. */
export interface PlotSeries {
  readonly label: string;
  readonly stroke: string;
  readonly dashed?: boolean;
  readonly dots?: boolean;
}

export interface PlotSetup {
  readonly width: number;
  readonly height: number;
  readonly xLabel: string;
  readonly y: YKind;
  readonly log: boolean;
  readonly series: readonly PlotSeries[];
  readonly theme: ChartTheme;
  /** Where the legend (the hover readout and the series toggles) goes. */
  readonly legendInto: HTMLElement;
  readonly plugins: uPlot.Plugin[];
  /** Told the y axis' labels each time they are drawn (tests read them off the figure). */
  readonly onYTicks?: (labels: string[]) => void;
}

/** x readout: epochs to three decimals (a batch at 1.125 is an eighth into epoch 2). */
const xValue = (_u: uPlot, x: number | null) => (x == null ? '—' : String(Number(x.toFixed(3))));

/** uPlot's options for one chart: axes and grid in the app's colours, x drag-zoom, live legend. */
export function plotOptions(setup: PlotSetup): uPlot.Options {
  const { theme, y, log } = setup;
  const axis = (extra: uPlot.Axis): uPlot.Axis => ({
    stroke: theme.muted,
    font: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1, size: 4 },
    ...extra,
  });
  // A log axis leaves some splits unlabelled (null) so that the labels do not crowd.
  const yValues = (_u: uPlot, splits: (number | null)[]) => {
    const labels = splits.map((v) =>
      v == null ? null : y === 'fraction' ? `${Math.round(v * 100)}%` : formatValue(v, 'axis'),
    );
    setup.onYTicks?.(labels.filter((l): l is string => l !== null));
    return labels;
  };
  return {
    width: setup.width,
    height: setup.height,
    plugins: setup.plugins,
    padding: [8, 10, 0, 0],
    legend: {
      live: true,
      mount: (_u, el) => setup.legendInto.replaceChildren(el),
    },
    cursor: {
      y: false,
      drag: { x: true, y: false, setScale: true },
      points: { size: 7, width: 2 },
      // A per-epoch series has gaps between epochs: the readout takes its point nearest the
      // cursor when one lies within 48 px, so hovering near an epoch reads every series there.
      hover: { skip: [null], prox: 48 },
      focus: { prox: 24 },
    },
    focus: { alpha: 0.35 },
    scales: {
      x: { time: false },
      y:
        y === 'fraction'
          ? { range: [0, 1] }
          : log
            ? { distr: 3, log: 10, range: (_u, min, max) => logRange(min, max) }
            : { range: (_u, _min, max) => lossRange(max) },
    },
    axes: [
      axis({ size: 30, values: (_u, splits) => splits.map((v) => String(Number(v.toFixed(3)))) }),
      axis({
        size: 40,
        values: yValues,
        // uPlot's log grid has a line at every 1…9 × 10ᵏ: too dense for a short chart.
        ...(log && {
          splits: (u: uPlot, _i: number, min: number, max: number) =>
            logTicks(min, max, Math.floor(u.bbox.height / (devicePixelRatio || 1) / 22)),
          // …and uPlot would label only the powers of ten; these ticks are already thinned.
          filter: (_u: uPlot, splits: number[]) => splits,
        }),
      }),
    ],
    series: [
      { label: setup.xLabel, value: xValue },
      ...setup.series.map((s): uPlot.Series => ({
        label: s.label,
        stroke: s.stroke,
        width: 1.6,
        dash: s.dashed ? [5, 4] : undefined,
        spanGaps: true,
        value: (_u, v) => (v == null ? '—' : formatValue(v, y)),
        points: s.dots
          ? { show: true, size: 6, width: 1.6, fill: theme.panel }
          : { size: 5, width: 1.2, fill: theme.panel },
      })),
    ],
  };
}
