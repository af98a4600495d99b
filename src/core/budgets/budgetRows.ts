import { analyze } from '../analysis/analyze.js';
import type { GraphDocument } from '../graph/document.js';
import {
  BUDGETS,
  budgetsOf,
  budgetValue,
  evaluateBudgets,
  type BudgetKind,
  type BudgetResult,
} from './budgets.js';

/** One budget kind across several graphs: each one's result, or null where it sets none. */
export interface BudgetRow {
  readonly kind: BudgetKind;
  readonly cells: readonly (BudgetResult | null)[];
}

/** The compare view's budget rows: one per kind that at least one graph sets, in display order. */
export function budgetRows(graphs: readonly GraphDocument[]): BudgetRow[] {
  const results = graphs.map((g) => {
    const budgets = budgetsOf(g);
    return Object.keys(budgets).length === 0 ? [] : evaluateBudgets(budgets, analyze(g));
  });
  return BUDGETS.filter((b) => results.some((list) => list.some((r) => r.kind === b.kind))).map(
    (b) => ({
      kind: b.kind,
      cells: results.map((list) => list.find((r) => r.kind === b.kind) ?? null),
    }),
  );
}

/** A limit shared by several graphs: the number (or none) when they agree, else `mixed`. */
export type CommonLimit = number | undefined | 'mixed';

/** Each kind's limit across the graphs, for fields that set it in all of them at once. */
export function commonBudgets(graphs: readonly GraphDocument[]): Record<BudgetKind, CommonLimit> {
  const out = {} as Record<BudgetKind, CommonLimit>;
  for (const { kind } of BUDGETS) {
    const values = new Set(graphs.map((g) => budgetValue(budgetsOf(g), kind)));
    out[kind] = values.size === 1 ? [...values][0] : 'mixed';
  }
  return out;
}
