import type { Diagnostic } from '../diagnostics.js';
import type { ParamValue } from '../graph/document.js';
import { closestName } from '../text/closestName.js';
import type { ParamSpecs } from './paramSpec.js';

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

/** A short, safe rendering of a JSON value for messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined) return 'nothing';
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  } catch {
    return String(value);
  }
}
