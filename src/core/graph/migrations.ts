import { budgetsProblem } from '../budgets/budgets.js';
import { GRAPH_VERSION } from './document.js';

/** Where version 2 keeps a version-1 file's own `budgets` field that is not a budget list. */
export const V1_BUDGETS_KEY = 'budgets (v1)';

/**
 * Upgrades from version N to N+1, applied in order when an older file is opened; each step has a
 * fixture of the old version under test/fixtures/graph-v<N>/ (test/core/migrations.test.ts).
 */
const MIGRATIONS: Readonly<
  Record<number, (doc: Record<string, unknown>) => Record<string, unknown>>
> = {
  /**
   * 1 → 2: the top-level `budgets` field (design targets) is new. Version 1 kept any unknown
   * field as it was, so a v1 file may hold a `budgets` of its own making: one that reads as
   * budgets stays; anything else moves to `"budgets (v1)"`, kept and saved, so the file still
   * opens instead of failing the new field's check.
   */
  1: (doc) => {
    if (doc.budgets === undefined || budgetsProblem(doc.budgets) === undefined) return doc;
    const { budgets, ...rest } = doc;
    return { ...rest, [V1_BUDGETS_KEY]: budgets };
  },
};

/** Brings a document of `version` up to the current format version. */
export function migrateDocument(
  doc: Record<string, unknown>,
  version: number,
): Record<string, unknown> {
  let current = doc;
  for (let v = version; v < GRAPH_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (step === undefined) throw new Error(`no migration from graph format version ${v}`);
    current = step(current);
  }
  return version === GRAPH_VERSION ? doc : { ...current, version: GRAPH_VERSION };
}
