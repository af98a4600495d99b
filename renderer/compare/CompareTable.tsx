import type { BudgetRow } from '../../src/core/budgets/budgetRows';
import type { CompareRow } from '../../src/core/compare/compareGraphs';
import { BudgetRows } from '../budgets/BudgetRows';
import type { CompareVariant } from '../../src/core/compare/compareDocument';
import type { VariantRun } from './variantRun';
import { VariantHeader } from './VariantHeader';

/**
 * Beside a value that is not the best: `1.81×` the best cost, or `−3.2 pts` from the best
 * accuracy. Nothing for rows without a direction or for a graph with errors (partial totals).
 */
export function ratioText(row: CompareRow, index: number): string | null {
  if (row.best === null || row.better === null || index === row.best) return null;
  if (row.valid[index] !== true) return null;
  const best = row.values[row.best] ?? NaN;
  const value = row.values[index] ?? NaN;
  if (!Number.isFinite(value) || !Number.isFinite(best) || value === best) return null;
  if (row.better === 'higher') return `−${((best - value) * 100).toFixed(1)} pts`;
  if (best <= 0) return null;
  return `${(value / best).toFixed(2)}×`;
}

/** Whether this cell holds the best value of its row (ties included). */
export function isBest(row: CompareRow, index: number): boolean {
  return row.best !== null && row.values[index] === row.values[row.best];
}

/** The side-by-side table: variants as columns, metrics as rows, the best value marked. */
export function CompareTable({
  variants,
  rows,
  budgets = [],
  runs,
  busy,
  showFormulas,
  onRename,
  onOpen,
  onRemove,
}: {
  variants: readonly CompareVariant[];
  rows: readonly CompareRow[];
  /** Each variant's pass/fail against its budgets, after the metric rows. */
  budgets?: readonly BudgetRow[];
  runs: readonly VariantRun[] | null;
  busy: boolean;
  showFormulas: boolean;
  onRename: (index: number, name: string) => void;
  onOpen: (index: number) => void;
  onRemove: (index: number) => void;
}) {
  return (
    <table className="compare-table" data-testid="compare-table">
      <colgroup>
        <col className="compare-table__metric-col" />
        {variants.map((_, i) => (
          <col key={i} />
        ))}
      </colgroup>
      <thead>
        <tr>
          <th className="compare-table__corner" scope="col">
            Metric
          </th>
          {variants.map((v, i) => (
            <th key={i} scope="col">
              <VariantHeader
                index={i}
                variant={v}
                run={runs?.[i]}
                busy={busy}
                onRename={(name) => onRename(i, name)}
                onOpen={() => onOpen(i)}
                onRemove={() => onRemove(i)}
              />
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr
            key={row.metric}
            data-metric={row.metric}
            className={row.differs ? 'is-different' : undefined}
          >
            <th
              scope="row"
              title={row.differs ? 'The variants differ here' : 'Equal in every variant'}
            >
              {row.metric}
            </th>
            {variants.map((_, i) => {
              // Ties share the mark: two variants with the same cost are both the cheapest.
              const best = isBest(row, i);
              const ratio = ratioText(row, i);
              const formula = row.formulas[i];
              return (
                <td key={i} className={best ? 'is-best' : undefined}>
                  <div className="compare-cell">
                    <span
                      className="compare-cell__value num"
                      data-testid="compare-value"
                      data-value={row.values[i]}
                    >
                      {row.display[i]}
                    </span>
                    {best && <span className="compare-cell__best">best</span>}
                    {ratio && <span className="compare-cell__ratio num">{ratio}</span>}
                  </div>
                  {showFormulas && formula && (
                    <code className="compare-cell__formula">{formula}</code>
                  )}
                </td>
              );
            })}
          </tr>
        ))}
        <BudgetRows rows={budgets} />
      </tbody>
    </table>
  );
}
