/**
 * A chart's tool buttons: log scale (loss charts only), reset zoom, save as PNG, save as CSV.
 * Test ids are the chart's own with a suffix: `train-chart-loss-log`, `compare-curve-png`.
 */
export function ChartTools({
  testId,
  log,
  zoomed,
  empty,
  onLog,
  onReset,
  onPng,
  onCsv,
}: {
  testId: string;
  /** Whether the y axis is logarithmic; `undefined` when the chart offers no log scale. */
  log: boolean | undefined;
  zoomed: boolean;
  empty: boolean;
  onLog: () => void;
  onReset: () => void;
  onPng: () => void;
  onCsv: () => void;
}) {
  return (
    <span className="uchart__tools" role="group" aria-label="Chart tools">
      {log !== undefined && (
        <button
          type="button"
          data-testid={`${testId}-log`}
          aria-pressed={log}
          className={log ? 'is-active' : undefined}
          title="Logarithmic y axis (values ≤ 0 are left out)"
          onClick={onLog}
        >
          Log
        </button>
      )}
      <button
        type="button"
        data-testid={`${testId}-reset`}
        disabled={!zoomed}
        title="Show all (or double-click the chart). Drag across the chart to zoom, Shift+drag to pan."
        onClick={onReset}
      >
        Reset
      </button>
      <button
        type="button"
        data-testid={`${testId}-png`}
        disabled={empty}
        title="Save the chart as a PNG image"
        onClick={onPng}
      >
        PNG
      </button>
      <button
        type="button"
        data-testid={`${testId}-csv`}
        disabled={empty}
        title="Save the chart's data as CSV"
        onClick={onCsv}
      >
        CSV
      </button>
    </span>
  );
}
