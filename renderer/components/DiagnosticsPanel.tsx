import { useEditor } from '../store/useEditor';
import { ProblemItem } from './ProblemItem';

/** Every problem in the graph; the list is empty (and says "No problems") when there are none. */
export function DiagnosticsPanel() {
  const diagnostics = useEditor((s) => s.analysis.diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return (
    <section className="problems-panel" aria-label="Problems">
      <div className="panel-title">
        Problems
        {diagnostics.length > 0 && (
          <span className={`count ${errors > 0 ? 'is-error' : 'is-warning'}`}>
            {diagnostics.length}
          </span>
        )}
      </div>
      <ul className="problems" data-testid="diagnostics">
        {diagnostics.map((d, i) => (
          <ProblemItem key={`${d.node ?? ''}:${d.code}:${i}`} diagnostic={d} showNode />
        ))}
      </ul>
      {diagnostics.length === 0 && <p className="problems__none">✓ No problems</p>}
    </section>
  );
}
