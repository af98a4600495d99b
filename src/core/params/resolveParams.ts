import type { Diagnostic } from '../diagnostics.js';
import type { ParamValue } from '../graph/document.js';
import { closestName } from '../text/closestName.js';
import type { ParamSpecs } from './paramSpec.js';

/** No parameter nests deeper than [[1, 1], [1, 1]]; anything deeper is a broken file. */
const MAX_PARAM_DEPTH = 4;

export interface ResolvedParamsResult {
  /** Normalized values for every declared parameter, or null when any was unusable. */
  readonly values: Readonly<Record<string, unknown>> | null;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads a node's raw `params` against its spec: PyTorch defaults for omitted ones, a diagnostic
 * naming the node, the value and what is expected for anything unusable.
 */
export function resolveParams(
  specs: ParamSpecs,
  raw: unknown,
  node: string,
  title: string,
  /** Names the analysis infers (in_channels…): accepted here, checked against the input later. */
  inferred: readonly string[] = [],
): ResolvedParamsResult {
  const diagnostics: Diagnostic[] = [];
  const given: Record<string, ParamValue> =
    raw !== null && typeof raw === 'object' && !Array.isArray(raw)
      ? (raw as Record<string, ParamValue>)
      : {};
  if (raw !== undefined && raw !== given) {
    diagnostics.push({
      severity: 'error',
      code: 'invalid-param',
      node,
      message: `${title}: "params" must be an object of parameter names to values, got ${describe(raw)}.`,
    });
    return { values: null, diagnostics };
  }
  const names = Object.keys(specs);
  for (const key of Object.keys(given)) {
    if (key in specs || inferred.includes(key)) continue;
    const guess = closestName(key, names);
    diagnostics.push({
      severity: 'error',
      code: 'unknown-param',
      node,
      message:
        `${title} has no parameter "${key}"` +
        (guess
          ? ` — did you mean "${guess}"?`
          : `. Its parameters are: ${names.join(', ') || 'none'}.`),
    });
  }
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = Object.hasOwn(given, name) ? given[name] : spec.default;
    if (value === undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'missing-param',
        node,
        message: `${title} needs "${name}" (${spec.expected}): ${spec.description}`,
      });
      continue;
    }
    if (nestingDepth(value, MAX_PARAM_DEPTH) > MAX_PARAM_DEPTH) {
      diagnostics.push({
        severity: 'error',
        code: 'invalid-param',
        node,
        message: `${title}: "${name}" must be ${spec.expected}, got lists nested more than ${MAX_PARAM_DEPTH} deep (${describe(value)}).`,
      });
      continue;
    }
    const parsed = spec.parse(value);
    if (!parsed.ok) {
      diagnostics.push({
        severity: 'error',
        code: 'invalid-param',
        node,
        message: `${title}: "${name}" must be ${spec.expected}, got ${describe(value)}.`,
      });
      continue;
    }
    values[name] = parsed.value;
  }
  return { values: diagnostics.length === 0 ? values : null, diagnostics };
}

/** A short, safe rendering of a JSON value for messages: bounded in length and nesting depth. */
export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'nothing';
  const text = preview(value, { left: 61 }, 0);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * The JSON text of a value, stopped once `budget` characters are written or 8 levels deep.
 * JSON.stringify and String() recurse without limit: a file nesting lists 100,000 deep
 * overflowed the stack here.
 */
function preview(value: unknown, budget: { left: number }, depth: number): string {
  const emit = (s: string): string => {
    budget.left -= s.length;
    return s;
  };
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string') return emit(JSON.stringify(value.slice(0, budget.left + 1)));
    let text: string | undefined;
    try {
      text = JSON.stringify(value);
    } catch {
      text = undefined; // a BigInt
    }
    return emit(text ?? String(value));
  }
  if (depth >= 8) return emit('…');
  const list: readonly unknown[] | null = Array.isArray(value) ? value : null;
  const record = value as Readonly<Record<string, unknown>>;
  const keys = list === null ? Object.keys(record) : [];
  const count = list === null ? keys.length : list.length;
  let out = emit(list === null ? '{' : '[');
  for (let i = 0; i < count; i++) {
    if (budget.left <= 0) return out;
    if (i > 0) out += emit(',');
    const key = keys[i] ?? '';
    if (list === null) out += emit(`${JSON.stringify(key.slice(0, budget.left + 1))}:`);
    out += preview(list === null ? record[key] : list[i], budget, depth + 1);
  }
  const close = list === null ? '}' : ']';
  return out + emit(close);
}

/** How deep a param value nests lists or objects (`3`: 0, `[3, 3]`: 1), counted up to `limit + 1`. */
export function nestingDepth(value: unknown, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  if (limit < 0) return 1;
  let deepest = 0;
  for (const item of Object.values(value)) {
    deepest = Math.max(deepest, nestingDepth(item, limit - 1));
    if (deepest > limit) break;
  }
  return deepest + 1;
}
