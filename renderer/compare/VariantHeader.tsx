import { useMemo } from 'react';
import { analyze } from '../../src/core/analysis/analyze';
import type { CompareVariant } from '../../src/core/compare/compareDocument';
import { categoryClass } from '../components/categoryClass';
import { foldRepeats, layerChips, type LayerChip } from './graphStrip';
import { variantColor } from './curves';
import { variantProgress, type VariantRun } from './variantRun';

const STATUS_TEXT: Record<VariantRun['status'], string> = {
  idle: 'not trained',
  waiting: 'waiting',
  starting: 'starting…',
  running: 'training',
  completed: 'trained',
  stopped: 'stopped',
  error: 'failed',
  skipped: 'not trained',
};

/** A variant's column head: colour, name (rename in place), the layer strip, status, actions. */
export function VariantHeader({
  index,
  variant,
  run,
  busy,
  onRename,
  onOpen,
  onRemove,
}: {
  index: number;
  variant: CompareVariant;
  run: VariantRun | undefined;
  busy: boolean;
  onRename: (name: string) => void;
  onOpen: () => void;
  onRemove: () => void;
}) {
  const analysis = useMemo(() => analyze(variant.graph), [variant.graph]);
  const items = useMemo(() => foldRepeats(layerChips(analysis)), [analysis]);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  const message = variant.result?.message;
  const status = run?.status ?? (variant.result ? variant.result.outcome : 'idle');
  const pct = run ? Math.round(variantProgress(run) * 100) : variant.result ? 100 : 0;
  return (
    <div className="variant" data-testid={`variant-${index}`}>
      <div className="variant__title">
        <i className="variant__swatch" style={{ background: variantColor(index) }} />
        <input
          key={variant.name}
          className="variant__name"
          aria-label={`Name of variant ${index + 1}`}
          data-testid={`variant-name-${index}`}
          defaultValue={variant.name}
          disabled={busy}
          onBlur={(e) => {
            if (e.target.value !== variant.name) onRename(e.target.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') e.currentTarget.blur();
          }}
        />
      </div>
      {variant.note && <p className="variant__note">{variant.note}</p>}
      <ol
        className="variant__strip"
        aria-label={`Layers of ${variant.name}`}
        data-testid={`variant-strip-${index}`}
      >
        {items.map((item, i) => (
          <li key={i}>
            {i > 0 && <span className="variant__arrow">→</span>}
            {item.kind === 'layer' ? (
              <Chip chip={item.chip} />
            ) : (
              <span className="variant__repeat" title={`${item.count} times in a row`}>
                <b>{item.count} ×</b>
                {item.chips.map((c, k) => (
                  <span key={c.id} className="variant__repeat-item">
                    {k > 0 && <span className="variant__arrow">→</span>}
                    <Chip chip={c} />
                  </span>
                ))}
              </span>
            )}
          </li>
        ))}
      </ol>
      {errors.length > 0 && (
        <p className="variant__problem" role="alert">
          {errors.length} error{errors.length > 1 ? 's' : ''}: {errors[0]?.message}
        </p>
      )}
      <div
        className={`variant__status is-${status}`}
        data-testid={`variant-status-${index}`}
        data-status={status}
      >
        <div className="variant__progress" aria-hidden>
          <i style={{ width: `${pct}%` }} />
        </div>
        <span>
          {STATUS_TEXT[status]}
          {run?.status === 'running' && ` · epoch ${run.epoch}/${run.epochs} · ${pct}%`}
        </span>
      </div>
      {message && (status === 'error' || status === 'skipped') && (
        <p className="variant__problem" data-testid={`variant-error-${index}`}>
          {message}
        </p>
      )}
      <div className="variant__actions">
        <button
          type="button"
          data-testid={`variant-open-${index}`}
          onClick={onOpen}
          disabled={busy}
        >
          Open in editor
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label={`Remove ${variant.name}`}
          title="Remove this variant"
          data-testid={`variant-remove-${index}`}
          onClick={onRemove}
          disabled={busy}
        >
          ✕
        </button>
      </div>
    </div>
  );
}

function Chip({ chip }: { chip: LayerChip }) {
  return (
    <span className={`variant__chip ${categoryClass(chip.category)}`} title={chip.id}>
      {chip.text}
    </span>
  );
}
