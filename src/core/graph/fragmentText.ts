import type { GraphFragment } from './fragments.js';
import { readFragment } from './fragments.js';

/**
 * The system clipboard's text for a piece of a graph: versioned JSON, pretty-printed so that a
 * paste into a text editor reads like a small graph file —
 * `{ "format": "nnb-fragment", "version": 1, "nodes": [...], "edges": [...] }`.
 */
export const FRAGMENT_FORMAT = 'nnb-fragment';
export const FRAGMENT_VERSION = 1;

/** The clipboard text of `fragment` (two-space indented JSON, one trailing newline). */
export function fragmentToText(fragment: GraphFragment): string {
  const doc = {
    format: FRAGMENT_FORMAT,
    version: FRAGMENT_VERSION,
    nodes: fragment.nodes,
    edges: fragment.edges,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export type FragmentTextOutcome =
  | { readonly ok: true; readonly fragment: GraphFragment }
  | { readonly ok: false; readonly error: string };

const PASTE_HINT = 'copy nodes in NN Builder (Ctrl/⌘+C) to paste them';

/**
 * Reads clipboard text back into a fragment. Anything else — plain text, other JSON, a fragment
 * of a newer version, a malformed node — is refused with a sentence that says what was found.
 */
export function fragmentFromText(text: string): FragmentTextOutcome {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: `The clipboard is empty — ${PASTE_HINT}.` };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    const start = trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed;
    return {
      ok: false,
      error: `The clipboard holds text, not NN Builder nodes ("${start}") — ${PASTE_HINT}.`,
    };
  }
  const { format, version } = (value ?? {}) as { format?: unknown; version?: unknown };
  if (value === null || typeof value !== 'object' || Array.isArray(value) || format === undefined)
    return {
      ok: false,
      error: `The clipboard holds JSON without "format": "${FRAGMENT_FORMAT}", not NN Builder nodes — ${PASTE_HINT}.`,
    };
  if (format !== FRAGMENT_FORMAT)
    return {
      ok: false,
      error: `The clipboard holds "format": ${JSON.stringify(format)}, not "${FRAGMENT_FORMAT}" — ${
        format === 'nnb-graph' ? 'open a whole graph file with Open…' : PASTE_HINT
      }.`,
    };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return {
      ok: false,
      error: `The clipboard's nodes have "version": ${JSON.stringify(version)}; expected a whole number ≥ 1.`,
    };
  if (version > FRAGMENT_VERSION)
    return {
      ok: false,
      error: `The clipboard's nodes are version ${version}, newer than this app reads (${FRAGMENT_VERSION}) — update NN Builder.`,
    };
  const fragment = readFragment(value);
  if (fragment === undefined)
    return {
      ok: false,
      error:
        'The clipboard\'s nodes are malformed: "nodes" must list objects with a string "id" and "type", "edges" objects with a string "source" and "target".',
    };
  if (fragment.nodes.length === 0)
    return { ok: false, error: `The clipboard's fragment has no nodes — ${PASTE_HINT}.` };
  const seen = new Set<string>();
  for (const { id } of fragment.nodes) {
    if (seen.has(id))
      return {
        ok: false,
        error: `The clipboard's nodes name "${id}" twice; each id must be unique.`,
      };
    seen.add(id);
  }
  return { ok: true, fragment };
}
