import '../styles/budgets.css';
import { useState } from 'react';
import type { CommonLimit } from '../../src/core/budgets/budgetRows';
import { budgetInputText, parseBudgetInput } from '../../src/core/budgets/budgetText';
import { BUDGETS, type BudgetKind, type BudgetResult } from '../../src/core/budgets/budgets';
import { BudgetMark } from './BudgetMark';

/** A field's value: a number, none, or (for several graphs at once) different ones. */
export type FieldValue = CommonLimit;

/**
 * The four budget fields (`params ≤`, `MACs ≤`, `memory ≤`, `RF ≥`), each with its pass/fail
 * when `results` are given. A valid entry applies at once; empty text clears the budget.
 */
export function BudgetFields({
  values,
  results,
  idPrefix,
  onChange,
}: {
  values: Readonly<Record<BudgetKind, FieldValue>>;
  results?: readonly BudgetResult[];
  /** `budget` → test ids `budget-params`, …; `compare-budget-input` in the compare view. */
  idPrefix: string;
  onChange: (kind: BudgetKind, value: number | undefined) => void;
}) {
  return (
    <div className="budget-fields">
      {BUDGETS.map((b) => (
        <BudgetField
          key={b.kind}
          kind={b.kind}
          value={values[b.kind]}
          status={results?.find((r) => r.kind === b.kind)}
          id={`${idPrefix}-${b.kind === 'receptiveField' ? 'rf' : b.kind}`}
          onChange={(v) => onChange(b.kind, v)}
        />
      ))}
    </div>
  );
}

function BudgetField({
  kind,
  value,
  status,
  id,
  onChange,
}: {
  kind: BudgetKind;
  value: FieldValue;
  status: BudgetResult | undefined;
  id: string;
  onChange: (value: number | undefined) => void;
}) {
  const definition = BUDGETS.find((b) => b.kind === kind);
  const shown = value === 'mixed' ? '' : budgetInputText(kind, value);
  const [text, setText] = useState(shown);
  const [seen, setSeen] = useState(value);
  // The document changed under the field (undo, another graph): show its value, unless the
  // text already reads as it (`60k` stays `60k` while typed).
  if (seen !== value) {
    setSeen(value);
    const read = parseBudgetInput(kind, text);
    if (!(read.ok && read.value === value)) setText(shown);
  }
  const read = parseBudgetInput(kind, text);
  const sign = definition?.relation === 'min' ? '≥' : '≤';
  return (
    <div className={`budget-field${read.ok ? '' : ' is-invalid'}`}>
      <label htmlFor={id} title={definition?.meaning}>
        {definition?.label} <span className="budget-field__sign">{sign}</span>
      </label>
      <input
        id={id}
        data-testid={id}
        className="num"
        value={text}
        placeholder={value === 'mixed' ? 'differs' : 'none'}
        spellCheck={false}
        aria-invalid={!read.ok}
        onChange={(e) => {
          setText(e.target.value);
          const next = parseBudgetInput(kind, e.target.value);
          if (next.ok) onChange(next.value);
        }}
        onBlur={() => {
          if (read.ok) setText(budgetInputText(kind, read.value));
        }}
      />
      <span className="budget-field__result">
        {status && <BudgetMark status={status.status} />}
        {status && <span className="num">{status.text}</span>}
      </span>
      {!read.ok && <p className="field__error">{read.error}</p>}
    </div>
  );
}
