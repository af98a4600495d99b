import type { BudgetRow } from '../../src/core/budgets/budgetRows';
import { budgetDefinition } from '../../src/core/budgets/budgets';
import { BudgetMark } from './BudgetMark';

/** The compare table's budget rows: each variant's pass/fail against its own budget. */
export function BudgetRows({ rows }: { rows: readonly BudgetRow[] }) {
  return (
    <>
      {rows.map((row) => {
        const d = budgetDefinition(row.kind);
        const id = row.kind === 'receptiveField' ? 'rf' : row.kind;
        return (
          <tr key={row.kind} className="budget-row" data-metric={`budget-${id}`}>
            <th scope="row" title={d.meaning}>
              Budget: {d.label.toLowerCase()}
            </th>
            {row.cells.map((cell, i) => (
              <td
                key={i}
                className={`budget-cell is-${cell?.status ?? 'none'}`}
                data-testid={`compare-budget-${id}`}
                data-status={cell?.status ?? 'none'}
              >
                {cell ? (
                  <span className="budget-cell__value num">
                    <BudgetMark status={cell.status} />
                    {cell.text}
                  </span>
                ) : (
                  'no budget'
                )}
              </td>
            ))}
          </tr>
        );
      })}
    </>
  );
}
