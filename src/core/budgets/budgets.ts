/**
 * Budgets: design targets saved in the graph document (`"budgets"`, format version 2), such as
 * "params ≤ 60,000" or "receptive field at the output ≥ 28", checked against the analysis.
 * See docs/graph-format.md#budgets.
 */
import type { GraphAnalysis } from '../analysis/analyze.js';
import { formatBytes, formatCount } from '../format/numbers.js';
import type { GraphDocument } from '../graph/document.js';
import { describe } from '../params/resolveParams.js';
import { outputField } from './outputField.js';

export type BudgetKind = 'params' | 'macs' | 'memory' | 'receptiveField';

/** A cost is capped (`max`), a receptive field must reach a size (`min`). */
export type BudgetRelation = 'max' | 'min';

/** One kind of budget: what it measures and how its numbers read. */
export interface BudgetDefinition {
  readonly kind: BudgetKind;
  readonly relation: BudgetRelation;
  /** `params`, `MACs`, `memory`, `RF`: the status bar's word. */
  readonly short: string;
  /** `Parameters`, …: the field label. */
  readonly label: string;
  /** What exactly is measured, for a tooltip. */
  readonly meaning: string;
  /** The measured value, or null when the analysis cannot say (no output). */
  readonly measure: (analysis: GraphAnalysis) => number | null;
  readonly format: (value: number) => string;
}

const memoryPerSample = (a: GraphAnalysis) =>
  a.totals.inputBytes + a.totals.activationBytes + a.totals.paramBytes;

/** Every budget kind, in display order (one definition object each). */
export const BUDGETS: readonly BudgetDefinition[] = [
  {
    kind: 'params',
    relation: 'max',
    short: 'params',
    label: 'Parameters',
    meaning: 'All parameters, trainable or frozen',
    measure: (a) => a.totals.params,
    format: formatCount,
  },
  {
    kind: 'macs',
    relation: 'max',
    short: 'MACs',
    label: 'MACs',
    meaning: 'Multiply-accumulates of one forward pass of one sample',
    measure: (a) => a.totals.macs,
    format: formatCount,
  },
  {
    kind: 'memory',
    relation: 'max',
    short: 'memory',
    label: 'Memory',
    meaning: 'Input + activations + parameters of one sample, float32 (the status bar’s total)',
    measure: memoryPerSample,
    format: formatBytes,
  },
  {
    kind: 'receptiveField',
    relation: 'min',
    short: 'RF',
    label: 'Receptive field',
    meaning:
      'Receptive field at the output in input pixels (every output, both axes; after a Linear layer: the whole input)',
    measure: outputField,
    format: (v) => (v === Number.POSITIVE_INFINITY ? 'whole input' : formatCount(v)),
  },
];

export const BUDGET_KINDS: readonly BudgetKind[] = BUDGETS.map((b) => b.kind);

export function budgetDefinition(kind: BudgetKind): BudgetDefinition {
  return BUDGETS.find((b) => b.kind === kind) as BudgetDefinition;
}

/** A target as saved: `{ "max": 60000 }` for costs, `{ "min": 28 }` for the receptive field. */
export type BudgetLimit = { readonly max: number } | { readonly min: number };

/** The document's `budgets`: any subset of the kinds (unknown keys are kept, not read). */
export type Budgets = Partial<Record<BudgetKind, BudgetLimit>>;

/** The limit's number, whichever relation the kind uses; undefined when not set. */
export function budgetValue(budgets: Budgets | undefined, kind: BudgetKind): number | undefined {
  const limit = budgets?.[kind];
  if (limit === undefined) return undefined;
  return 'max' in limit ? limit.max : limit.min;
}

const NO_BUDGETS: Budgets = Object.freeze({});

/**
 * The document's budgets; documents are checked on reading (budgetsProblem), so this trusts them.
 * The same object for the same document (one shared empty one), so callers can memoise on it.
 */
export function budgetsOf(doc: GraphDocument): Budgets {
  const raw = doc.budgets;
  return raw !== null && typeof raw === 'object' ? (raw as Budgets) : NO_BUDGETS;
}

/**
 * Sets (a number ≥ 0) or clears (undefined) one budget; pure. A document left without any budget
 * loses the field, so files without budgets keep looking as before.
 */
export function setBudget(
  doc: GraphDocument,
  kind: BudgetKind,
  value: number | undefined,
): GraphDocument {
  if (budgetValue(budgetsOf(doc), kind) === value) return doc;
  const { [kind]: _old, ...rest } = budgetsOf(doc);
  const relation = budgetDefinition(kind).relation;
  const next: Record<string, unknown> =
    value === undefined
      ? rest
      : { ...rest, [kind]: relation === 'max' ? { max: value } : { min: value } };
  const { budgets: _budgets, ...withoutBudgets } = doc;
  return Object.keys(next).length === 0
    ? (withoutBudgets as GraphDocument)
    : { ...withoutBudgets, budgets: next };
}

/**
 * What is wrong with a document's `budgets` value, naming the JSON path, or undefined when it is
 * absent or well-formed. Keys other than the known kinds are kept unread (forward compatibility).
 */
export function budgetsProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return `"budgets" must be an object such as {"params": {"max": 60000}}, got ${describe(value)}`;
  const budgets = value as Record<string, unknown>;
  for (const { kind, relation } of BUDGETS) {
    const limit = budgets[kind];
    if (limit === undefined) continue;
    const at = `budgets.${kind}`;
    const example = `{"${relation}": ${relation === 'max' ? 60000 : 28}}`;
    if (limit === null || typeof limit !== 'object' || Array.isArray(limit))
      return `${at} must be an object such as ${example}, got ${describe(limit)}`;
    const n = (limit as Record<string, unknown>)[relation];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
      return `${at}.${relation} must be a number ≥ 0 (${kind} budgets are ${relation === 'max' ? 'upper' : 'lower'} limits: ${example}), got ${describe(n)}`;
  }
  return undefined;
}

export type BudgetStatus = 'pass' | 'fail' | 'unknown';

/** One budget checked against the analysis. */
export interface BudgetResult {
  readonly kind: BudgetKind;
  readonly relation: BudgetRelation;
  readonly limit: number;
  /** The measured value; null when it cannot be known. */
  readonly actual: number | null;
  /** `unknown` while the graph has errors: its totals are partial and prove nothing. */
  readonly status: BudgetStatus;
  /** `61,706 > 60,000`, `whole input ≥ 28`, `? (the graph has errors)`. */
  readonly text: string;
}

/** Checks each budget the document sets, in display order. */
export function evaluateBudgets(budgets: Budgets, analysis: GraphAnalysis): BudgetResult[] {
  const results: BudgetResult[] = [];
  for (const d of BUDGETS) {
    const limit = budgetValue(budgets, d.kind);
    if (limit === undefined) continue;
    const sign = d.relation === 'max' ? '≤' : '≥';
    const actual = analysis.hasErrors ? null : d.measure(analysis);
    if (actual === null) {
      const why = analysis.hasErrors ? 'the graph has errors' : 'no output';
      results.push({
        kind: d.kind,
        relation: d.relation,
        limit,
        actual,
        status: 'unknown',
        text: `? ${sign} ${d.format(limit)} (${why})`,
      });
      continue;
    }
    const pass = d.relation === 'max' ? actual <= limit : actual >= limit;
    const shown = pass ? sign : d.relation === 'max' ? '>' : '<';
    results.push({
      kind: d.kind,
      relation: d.relation,
      limit,
      actual,
      status: pass ? 'pass' : 'fail',
      text: `${d.format(actual)} ${shown} ${d.format(limit)}`,
    });
  }
  return results;
}
