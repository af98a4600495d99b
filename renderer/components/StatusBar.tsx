import { useShallow } from 'zustand/react/shallow';
import { formatBytes, formatCount } from '../../src/core/format/numbers';
import { scaled } from '../../src/core/format/summaryTable';
import { BudgetStatus } from '../budgets/BudgetStatus';
import { useEditor } from '../store/useEditor';
import { useUi } from '../store/uiStore';
import { useCompare } from '../compare/compareStore';

/** The bottom line: totals and problem counts at a glance. */
export function StatusBar({ hostLabel }: { hostLabel: string }) {
  const view = useUi((s) => s.view);
  const variants = useCompare((s) => s.doc.variants.length);
  const { totals, errors, warnings, layers } = useEditor(
    useShallow((s) => ({
      totals: s.analysis.totals,
      errors: s.analysis.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: s.analysis.diagnostics.filter((d) => d.severity === 'warning').length,
      layers: s.analysis.layers.length,
    })),
  );
  if (view === 'compare') {
    return (
      <footer className="statusbar">
        <span data-testid="status-compare">
          {variants} variant{variants === 1 ? '' : 's'} compared
        </span>
        <span className="statusbar__host">{hostLabel}</span>
      </footer>
    );
  }
  return (
    <footer className="statusbar">
      <span>{layers} layers</span>
      <span>{formatCount(totals.params)} params</span>
      <span>{totals.macs >= 1e3 ? scaled(totals.macs) : totals.macs} MACs</span>
      <span>
        {formatBytes(totals.inputBytes + totals.activationBytes + totals.paramBytes)} per sample
      </span>
      <span className={errors ? 'is-error' : warnings ? 'is-warning' : 'is-ok'}>
        {errors === 0 && warnings === 0 ? '✓ valid' : `${errors} errors, ${warnings} warnings`}
      </span>
      <BudgetStatus />
      <span className="statusbar__host">{hostLabel}</span>
    </footer>
  );
}
