import {
  budgetsOf,
  evaluateBudgets,
  type BudgetResult,
  type Budgets,
} from '../../src/core/budgets/budgets';
import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import type { GraphDocument } from '../../src/core/graph/document';
import { useEditor } from '../store/useEditor';

const results = new WeakMap<GraphAnalysis, { budgets: Budgets; results: BudgetResult[] }>();

/** The budgets of `doc` checked against its analysis, once per analysis and budgets object. */
export function budgetResults(doc: GraphDocument, analysis: GraphAnalysis): BudgetResult[] {
  const budgets = budgetsOf(doc);
  const hit = results.get(analysis);
  if (hit !== undefined && hit.budgets === budgets) return hit.results;
  const next = evaluateBudgets(budgets, analysis);
  results.set(analysis, { budgets, results: next });
  return next;
}

/** The editor document's budget results, live. */
export function useBudgetResults(): BudgetResult[] {
  return useEditor((s) => budgetResults(s.doc, s.analysis));
}
