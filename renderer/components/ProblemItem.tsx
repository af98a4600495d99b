import type { Diagnostic } from '../../src/core/diagnostics';
import { editorStore } from '../store/useEditor';

/** A diagnostic with its node (click to select) and, when it has one, the one-click fix. */
export function ProblemItem({
  diagnostic: d,
  showNode = false,
}: {
  diagnostic: Diagnostic;
  showNode?: boolean;
}) {
  const store = editorStore.getState();
  const topNode = d.node?.split('/')[0];
  return (
    <li className={`problem is-${d.severity}`}>
      <span className="problem__icon" aria-label={d.severity}>
        {d.severity === 'error' ? '●' : '▲'}
      </span>
      <div className="problem__body">
        {showNode && topNode && (
          <button type="button" className="link-button" onClick={() => store.select([topNode])}>
            {d.node}
          </button>
        )}
        <span className="problem__message">{d.message}</span>
        {d.fix && !d.node?.includes('/') && (
          <button
            type="button"
            className="fix-button"
            onClick={() => d.fix && store.applyFix(d.fix)}
          >
            {d.fix.description}
          </button>
        )}
      </div>
    </li>
  );
}
