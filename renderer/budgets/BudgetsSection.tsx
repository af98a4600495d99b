import { useShallow } from 'zustand/react/shallow';
import { BUDGETS, budgetsOf, budgetValue, type BudgetKind } from '../../src/core/budgets/budgets';
import { editorStore, useEditor } from '../store/useEditor';
import { BudgetFields, type FieldValue } from './BudgetFields';
import { useBudgetResults } from './useBudgetResults';

/** The Inspector's Budgets section (nothing selected): targets saved in the document. */
export function BudgetsSection() {
  const values = useEditor(
    useShallow((s) => {
      const budgets = budgetsOf(s.doc);
      return Object.fromEntries(
        BUDGETS.map((b) => [b.kind, budgetValue(budgets, b.kind)]),
      ) as Record<BudgetKind, FieldValue>;
    }),
  );
  const results = useBudgetResults();
  return (
    <div className="inspector__section" data-testid="budgets">
      <div className="panel-title">Budgets</div>
      <p className="muted budget-hint">
        Targets checked on every edit and saved with the network: leave a field empty for none.
      </p>
      <BudgetFields
        values={values}
        results={results}
        idPrefix="budget"
        onChange={(kind, value) => editorStore.getState().setBudget(kind, value)}
      />
    </div>
  );
}
