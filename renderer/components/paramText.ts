import type { ParamValue } from '../../src/core/graph/document';
import type { ParamSpec } from '../../src/core/params/paramSpec';

/** How a value is written in its text field: `5`, `5, 3`, `same`, `1, 28, 28`; '' for unset. */
export function paramToText(value: ParamValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => (v === null ? 'null' : String(v))).join(', ');
  return String(value);
}

export type FieldOutcome =
  | { readonly ok: true; readonly value: ParamValue | undefined }
  | { readonly ok: false; readonly message: string };

/**
 * Reads what the user typed into a parameter field. Empty means "use the default" (undefined,
 * or null for the optional ones); otherwise the text becomes JSON — `5` → 5, `5, 3` → [5, 3],
 * `same` → "same" — and the layer's own spec decides whether it is valid, so the form accepts
 * exactly what the file format accepts.
 */
export function textToParam(text: string, spec: ParamSpec<unknown>): FieldOutcome {
  const t = text.trim();
  if (t === '') {
    if (spec.default !== undefined) return { ok: true, value: undefined };
    return { ok: false, message: `Required: ${spec.expected}.` };
  }
  const value = readValue(t);
  if (value === undefined || !spec.parse(value).ok) {
    return { ok: false, message: `Expected ${spec.expected}.` };
  }
  return { ok: true, value };
}

function readValue(t: string): ParamValue | undefined {
  const parts = t
    .replace(/^\[|\]$/g, '')
    .split(/\s*[,×x*]\s*|\s+/)
    .filter((s) => s !== '');
  const atom = (s: string): ParamValue | undefined => {
    if (s === 'null' || s === 'none' || s === 'None') return null;
    if (s === 'true' || s === 'True') return true;
    if (s === 'false' || s === 'False') return false;
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number(s);
    if (/^[a-z_]+$/i.test(s)) return s;
    return undefined;
  };
  if (parts.length === 1) return atom(parts[0] as string);
  const items = parts.map(atom);
  return items.some((v) => v === undefined || typeof v === 'string')
    ? undefined
    : (items as ParamValue[]);
}
