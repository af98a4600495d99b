import { useMemo } from 'react';
import { commonBudgets } from '../../src/core/budgets/budgetRows';
import type { CompareVariant } from '../../src/core/compare/compareDocument';
import { compareStore } from '../compare/compareStore';
import { BudgetFields } from './BudgetFields';

/** The compare view's budget fields: one set of targets written into every variant's graph. */
export function CompareBudgets({ variants }: { variants: readonly CompareVariant[] }) {
  const values = useMemo(() => commonBudgets(variants.map((v) => v.graph)), [variants]);
  return (
    <section className="compare-budgets" data-testid="compare-budgets">
      <BudgetFields
        values={values}
        idPrefix="compare-budget-input"
        onChange={(kind, value) => compareStore.getState().setBudget(kind, value)}
      />
    </section>
  );
}
