import { finalMetrics, type HistoryRun } from './versions';

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** A run as one line: status, final validation accuracy and loss, settings. */
export function RunLine({ run }: { run: HistoryRun }) {
  const m = finalMetrics(run);
  return (
    <li
      className={`history-run history-run--${run.status}`}
      data-testid={`history-run-${run.runId}`}
      data-status={run.status}
      data-accuracy={m?.accuracy ?? ''}
      data-loss={m?.loss ?? ''}
    >
      <span className="history-run__status">{run.status}</span>
      {m ? (
        <span>
          {m.kind === 'validation' ? 'val' : 'train'} acc <b>{percent(m.accuracy)}</b> · loss{' '}
          <b>{m.loss.toFixed(3)}</b>
        </span>
      ) : (
        <span className="muted">no epoch yet</span>
      )}
      <span className="muted">{run.settings}</span>
    </li>
  );
}
