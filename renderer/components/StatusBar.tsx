import { useShallow } from 'zustand/react/shallow';
import { formatBytes, formatCount } from '../../src/core/format/numbers';
import { scaled } from '../../src/core/format/summaryTable';
import { useEditor } from '../store/useEditor';

/** The bottom line: totals and problem counts at a glance. */
export function StatusBar({ hostLabel }: { hostLabel: string }) {
  const { totals, errors, warnings, layers } = useEditor(
    useShallow((s) => ({
      totals: s.analysis.totals,
      errors: s.analysis.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: s.analysis.diagnostics.filter((d) => d.severity === 'warning').length,
      layers: s.analysis.layers.length,
    })),
  );
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
      <span className="statusbar__host">{hostLabel}</span>
    </footer>
  );
}
