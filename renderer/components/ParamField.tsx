import { useState } from 'react';
import type { ParamValue } from '../../src/core/graph/document';
import type { ParamSpec } from '../../src/core/params/paramSpec';
import { paramToText, textToParam } from './paramText';

interface Props {
  readonly name: string;
  readonly spec: ParamSpec<unknown>;
  readonly value: ParamValue | undefined;
  readonly onChange: (value: ParamValue | undefined) => void;
}

/**
 * One parameter's control, chosen by its spec: a select for enums, a checkbox for booleans, a
 * text field for numbers, pairs and shapes. Text is validated on every keystroke against the
 * layer's own parser; a valid value reaches the document at once, an invalid one says why.
 */
export function ParamField({ name, spec, value, onChange }: Props) {
  const id = `param-${name}`;
  const label = (
    <label htmlFor={id} title={spec.description}>
      {name}
      {spec.default === undefined && <span className="required">*</span>}
    </label>
  );
  if (spec.kind === 'enum' && spec.options) {
    return (
      <div className="field">
        {label}
        <select
          id={id}
          data-testid={id}
          value={typeof value === 'string' ? value : String(spec.default)}
          onChange={(e) => onChange(e.target.value === spec.default ? undefined : e.target.value)}
        >
          {spec.options.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
        <p className="field__help">{spec.description}</p>
      </div>
    );
  }
  if (spec.kind === 'bool' && spec.default !== null) {
    const checked = typeof value === 'boolean' ? value : spec.default === true;
    return (
      <div className="field field--check">
        <input
          id={id}
          type="checkbox"
          data-testid={id}
          checked={checked}
          onChange={(e) =>
            onChange(e.target.checked === spec.default ? undefined : e.target.checked)
          }
        />
        {label}
        <p className="field__help">{spec.description}</p>
      </div>
    );
  }
  return <TextParam id={id} label={label} spec={spec} value={value} onChange={onChange} />;
}

function TextParam({
  id,
  label,
  spec,
  value,
  onChange,
}: Omit<Props, 'name'> & { id: string; label: React.ReactNode }) {
  const external = paramToText(value);
  const [text, setText] = useState(external);
  const [shown, setShown] = useState(external);
  // The document changed from elsewhere (undo, a fix, another node): show its value.
  if (external !== shown) {
    setShown(external);
    setText(external);
  }
  const outcome = textToParam(text, spec);
  return (
    <div className={`field${outcome.ok ? '' : ' field--invalid'}`}>
      {label}
      <input
        id={id}
        data-testid={id}
        type="text"
        inputMode={spec.kind === 'float' ? 'decimal' : 'numeric'}
        spellCheck={false}
        autoComplete="off"
        value={text}
        placeholder={
          spec.default === undefined
            ? 'required'
            : `${paramToText(spec.default) || 'none'} (default)`
        }
        aria-invalid={!outcome.ok}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const parsed = textToParam(next, spec);
          if (parsed.ok) {
            setShown(paramToText(parsed.value));
            onChange(parsed.value);
          }
        }}
      />
      <p className={outcome.ok ? 'field__help' : 'field__error'}>
        {outcome.ok ? spec.description : outcome.message}
      </p>
    </div>
  );
}
