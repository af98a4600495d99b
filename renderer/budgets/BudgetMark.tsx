import type { BudgetStatus } from '../../src/core/budgets/budgets';

const MARKS: Readonly<Record<BudgetStatus, { glyph: string; label: string }>> = {
  pass: { glyph: '✓', label: 'within budget' },
  fail: { glyph: '✗', label: 'over budget' },
  unknown: { glyph: '?', label: 'unknown while the graph has errors' },
};

/** ✓ / ✗ / ? in the status's colour, with its meaning for screen readers. */
export function BudgetMark({ status }: { status: BudgetStatus }) {
  const mark = MARKS[status];
  return (
    <span className={`budget-mark is-${status}`} role="img" aria-label={mark.label}>
      {mark.glyph}
    </span>
  );
}
