import { useState } from 'react';
import { COMPARE_OPTIMIZERS, type CompareTraining } from '../../src/core/compare/compareDocument';
import { compareStore } from './compareStore';

type NumberField = 'epochs' | 'batchSize' | 'lr' | 'seed' | 'maxTrainSamples' | 'weightDecay';

const FIELDS: readonly { key: NumberField; label: string; hint?: string }[] = [
  { key: 'epochs', label: 'Epochs' },
  { key: 'batchSize', label: 'Batch' },
  { key: 'lr', label: 'Learning rate' },
  { key: 'weightDecay', label: 'Weight decay' },
  { key: 'seed', label: 'Seed' },
  { key: 'maxTrainSamples', label: 'Train samples', hint: 'blank: all 8,000' },
];

/** The shared hyperparameters: one set for every variant, so the curves compare like with like. */
export function TrainSettings({ training, busy }: { training: CompareTraining; busy: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const apply = (patch: Partial<CompareTraining>) =>
    setError(compareStore.getState().setTraining(patch));
  return (
    <form
      className="compare-settings"
      onSubmit={(e) => e.preventDefault()}
      aria-label="Training settings"
    >
      <div className="compare-settings__field">
        <label>Dataset</label>
        <span className="compare-settings__fixed">Built-in digits · 1×28×28 · 10 classes</span>
      </div>
      <div className="compare-settings__field">
        <label htmlFor="compare-optimizer">Optimizer</label>
        <select
          id="compare-optimizer"
          data-testid="compare-optimizer"
          value={training.optimizer}
          disabled={busy}
          onChange={(e) => apply({ optimizer: e.target.value as CompareTraining['optimizer'] })}
        >
          {COMPARE_OPTIMIZERS.map((o) => (
            <option key={o} value={o}>
              {o === 'sgd'
                ? 'SGD'
                : o === 'adamw'
                  ? 'AdamW'
                  : o === 'rmsprop'
                    ? 'RMSprop'
                    : o[0]?.toUpperCase() + o.slice(1)}
            </option>
          ))}
        </select>
      </div>
      {FIELDS.map(({ key, label, hint }) => {
        const value = training[key];
        return (
          <div className="compare-settings__field" key={key}>
            <label htmlFor={`compare-${key}`}>{label}</label>
            <input
              id={`compare-${key}`}
              key={String(value)}
              data-testid={`compare-${key}`}
              className="num"
              inputMode="decimal"
              placeholder={hint}
              disabled={busy}
              defaultValue={value === null ? '' : String(value)}
              onBlur={(e) => {
                const text = e.target.value.trim();
                const next = text === '' && key === 'maxTrainSamples' ? null : Number(text);
                if (next !== value) apply({ [key]: next } as Partial<CompareTraining>);
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter') e.currentTarget.blur();
              }}
            />
          </div>
        );
      })}
      {error && (
        <p className="field__error compare-settings__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
