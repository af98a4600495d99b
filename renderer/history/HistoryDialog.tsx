import '../styles/history.css';
import { formatCount } from '../../src/core/format/numbers';
import { modalFocus } from '../components/modalFocus';
import { historyStore, useHistory } from './historyStore';
import { HistoryDiff } from './HistoryDiff';
import { RunLine } from './RunLine';
import { editorStore, useEditor } from '../store/useEditor';
import { runsOf, versionId, type Version } from './versions';

const time = (t: number) =>
  new Date(t).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });

function VersionRow(props: {
  version: Version;
  /** `before` / `after` when two are picked, `picked` for one, null when not picked. */
  pick: string | null;
  current: boolean;
}) {
  const { version, pick, current } = props;
  const runs = useHistory((s) => s.history.runs);
  const mine = runsOf(runs, version.id);
  return (
    <li>
      <button
        type="button"
        className={`history-version${pick !== null ? ' is-picked' : ''}`}
        aria-pressed={pick !== null}
        data-testid={`history-version-${version.seq}`}
        data-version-id={version.id}
        data-runs={mine.length}
        data-current={current}
        onClick={() => historyStore.getState().togglePick(version.id)}
      >
        <span className="history-version__head">
          <b>v{version.seq}</b>
          {pick !== null && <span className="history-version__pick">{pick}</span>}
          {current && <span className="history-version__current">on the canvas</span>}
          <span className="muted" title={`last seen ${time(version.seenAt)}`}>
            {time(version.createdAt)}
          </span>
          <span className="muted history-version__file">{version.fileName}</span>
        </span>
        <span className="history-version__totals">
          {version.nodes} nodes · {formatCount(version.params)} params · {formatCount(version.macs)}{' '}
          MACs
          {version.hasErrors && <span className="history-version__errors"> · has errors</span>}
        </span>
      </button>
      {mine.length > 0 && (
        <ul className="history-runs">
          {mine.map((r) => (
            <RunLine key={r.runId} run={r} />
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * The History panel: every version of the graph kept this session and before (newest first),
 * each with the runs that trained it; pick two to see what changed and their curves together.
 */
export function HistoryDialog({ onClose }: { onClose: () => void }) {
  const versions = useHistory((s) => s.history.versions);
  const picked = useHistory((s) => s.picked);
  const byId = new Map(versions.map((v) => [v.id, v]));
  const pair = picked.map((id) => byId.get(id)).filter((v): v is Version => v !== undefined);
  // The older version is "before", whichever was picked first.
  const [before, after] = [...pair].sort((a, b) => a.seq - b.seq);
  const pickOf = (v: Version) =>
    !picked.includes(v.id) ? null : pair.length < 2 ? 'picked' : v === before ? 'before' : 'after';
  const doc = useEditor((s) => s.doc);
  const current = versionId(versions, doc);
  return (
    <div className="modal-backdrop" onMouseDown={onClose}>
      <div
        className="modal history"
        role="dialog"
        aria-modal="true"
        aria-label="History"
        data-testid="history-panel"
        data-versions={versions.length}
        tabIndex={-1}
        ref={modalFocus}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
          }
        }}
      >
        <div className="modal__head">
          <h2>History</h2>
          <span className="muted history__hint">
            {versions.length} version{versions.length === 1 ? '' : 's'} · pick two to compare
          </span>
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </div>
        <div className="history__body">
          <ul className="history__list" aria-label="Versions, newest first">
            {versions.length === 0 && (
              <li className="muted">No versions yet: they are kept as you edit and train.</li>
            )}
            {[...versions].reverse().map((v) => (
              <VersionRow key={v.id} version={v} pick={pickOf(v)} current={v.id === current} />
            ))}
          </ul>
          <div className="history__detail">
            {before && after ? (
              <HistoryDiff before={before} after={after} />
            ) : (
              <>
                <p className="muted">
                  {pair.length === 1
                    ? `v${pair[0]?.seq} picked: pick another version to see what changed.`
                    : 'Pick two versions to see what changed between them and their runs’ curves.'}
                </p>
                {pair.length === 1 && pair[0] !== undefined && pair[0].id !== current && (
                  <button
                    type="button"
                    className="primary"
                    data-testid="history-open-version"
                    onClick={() => {
                      const version = pair[0];
                      if (version === undefined) return;
                      const store = editorStore.getState();
                      store.replaceDocument(version.doc);
                      store.notify(
                        'info',
                        `Opened v${version.seq} on the canvas. Undo (Ctrl+Z) brings back what was there.`,
                      );
                      onClose();
                    }}
                  >
                    Open v{pair[0].seq} on the canvas
                  </button>
                )}
              </>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
