import '../styles/budgets.css';
import { budgetDefinition } from '../../src/core/budgets/budgets';
import { editorStore } from '../store/useEditor';
import { BudgetMark } from './BudgetMark';
import { useBudgetResults } from './useBudgetResults';

/**
 * The status bar's budgets: `✓ params ≤ 62,000`, `✗ RF 7 < 28`; a click shows them in the
 * Inspector (nothing selected). Nothing when the document sets no budget.
 */
export function BudgetStatus() {
  const results = useBudgetResults();
  if (results.length === 0) return null;
  const failed = results.filter((r) => r.status === 'fail').length;
  return (
    <button
      type="button"
      className={`budget-status${failed > 0 ? ' is-failing' : ''}`}
      data-testid="budget-status"
      data-failed={failed}
      title="Budgets: click to edit them in the Inspector"
      onClick={() => editorStore.getState().select([])}
    >
      {results.map((r) => (
        <span
          key={r.kind}
          className={`budget-chip is-${r.status}`}
          data-testid={`budget-status-${r.kind === 'receptiveField' ? 'rf' : r.kind}`}
          data-status={r.status}
        >
          <BudgetMark status={r.status} />
          {budgetDefinition(r.kind).short} <span className="num">{r.text}</span>
        </span>
      ))}
    </button>
  );
}
