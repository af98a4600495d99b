/** The `*.nnb-compare.json` comparison document (see docs/compare.md). */
import type { GraphDocument } from '../graph/document.js';
import { jsonSyntaxMessage, readGraphDocument } from '../graph/parseGraph.js';
import { describe } from '../params/resolveParams.js';
import { isObject, kind } from './jsonChecks.js';
import {
  readTraining,
  readVariantResult,
  type CompareTraining,
  type VariantResult,
} from './compareResults.js';

export * from './compareResults.js';

export const COMPARE_FORMAT = 'nnb-compare';
export const COMPARE_VERSION = 1;
export const COMPARE_EXTENSION = '.nnb-compare.json';

/** One column of the comparison: a whole graph, its name, and what training it got. */
export interface CompareVariant {
  readonly name: string;
  readonly graph: GraphDocument;
  /** Why this variant is here, for the instructor (`BatchNorm before every Sigmoid`). */
  readonly note?: string;
  /**
   * The one hyperparameter a variant may set apart from the shared settings (the over-fitting
   * lesson's "with weight decay"); the table shows it beside the architecture's numbers.
   */
  readonly weightDecay?: number;
  /** The saved outcome of "Train all", so a reopened comparison shows its curves. */
  readonly result?: VariantResult;
}

export interface CompareDocument {
  readonly format: typeof COMPARE_FORMAT;
  readonly version: number;
  readonly title: string;
  /** The lesson text for instructors (what to look at, what it shows). */
  readonly description: string;
  /** Identical for every variant: same data split, seed and hyperparameters. */
  readonly training: CompareTraining;
  readonly variants: readonly CompareVariant[];
}

export type CompareParseOutcome =
  | { readonly ok: true; readonly doc: CompareDocument }
  | { readonly ok: false; readonly error: string };

/** Reads `*.nnb-compare.json` text; JSON syntax errors name the line and column. */
export function parseCompareJson(text: string): CompareParseOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: jsonSyntaxMessage(text, error) };
  }
  return readCompareDocument(value);
}

/**
 * Checks a parsed JSON value; problems name the field and the variant
 * (`variants[1] ("ReLU").graph: nodes[2].type …`).
 */
export function readCompareDocument(value: unknown): CompareParseOutcome {
  const fail = (error: string): CompareParseOutcome => ({ ok: false, error });
  if (!isObject(value))
    return fail(`expected a JSON object with "format": "${COMPARE_FORMAT}", got ${kind(value)}`);
  if (value.format !== COMPARE_FORMAT) {
    return fail(
      value.format === 'nnb-graph'
        ? 'this is a graph (*.nnb.json), not a comparison: open it in the editor, then "Compare"'
        : `not an NN Builder comparison: "format" is ${describe(value.format)}, expected "${COMPARE_FORMAT}"`,
    );
  }
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return fail(`"version" must be a positive integer, got ${describe(version)}`);
  if (version > COMPARE_VERSION)
    return fail(
      `this comparison is format version ${version}, made by a newer NN Builder; this one reads version ${COMPARE_VERSION}`,
    );
  for (const key of ['title', 'description'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string')
      return fail(`"${key}" must be a string, got ${describe(value[key])}`);
  }
  const training = readTraining(value.training);
  if (!training.ok) return fail(training.error);
  if (!Array.isArray(value.variants))
    return fail(`"variants" must be a list of { name, graph }, got ${kind(value.variants)}`);
  const variants: CompareVariant[] = [];
  for (const [i, raw] of value.variants.entries()) {
    const variant = readVariant(raw, i);
    if (typeof variant === 'string') return fail(variant);
    variants.push(variant);
  }
  return {
    ok: true,
    doc: {
      format: COMPARE_FORMAT,
      version: COMPARE_VERSION,
      title: typeof value.title === 'string' ? value.title : 'Comparison',
      description: typeof value.description === 'string' ? value.description : '',
      training: training.value,
      variants,
    },
  };
}

function readVariant(raw: unknown, i: number): CompareVariant | string {
  if (!isObject(raw))
    return `variants[${i}] must be an object with "name" and "graph", got ${kind(raw)}`;
  if (typeof raw.name !== 'string' || raw.name.trim() === '')
    return `variants[${i}].name must be a non-empty string, got ${describe(raw.name)}`;
  const at = `variants[${i}] ("${raw.name}")`;
  if (raw.graph === undefined) return `${at}.graph is missing (an inline graph document)`;
  const graph = readGraphDocument(raw.graph);
  if (!graph.ok) return `${at}.graph: ${graph.error}`;
  if (raw.note !== undefined && typeof raw.note !== 'string')
    return `${at}.note must be a string, got ${describe(raw.note)}`;
  const wd = raw.weightDecay;
  if (wd !== undefined && (typeof wd !== 'number' || !Number.isFinite(wd) || wd < 0))
    return `${at}.weightDecay must be a number ≥ 0, got ${describe(wd)}`;
  let result: VariantResult | undefined;
  if (raw.result !== undefined && raw.result !== null) {
    const read = readVariantResult(raw.result);
    if (!read.ok) return `${at}.result${read.error}`;
    result = read.value;
  }
  return {
    name: raw.name,
    graph: graph.graph,
    ...(raw.note !== undefined ? { note: raw.note as string } : {}),
    ...(wd !== undefined ? { weightDecay: wd as number } : {}),
    ...(result ? { result } : {}),
  };
}

/** The document as saved: two-space JSON with a final newline, fields in a fixed order. */
export function compareDocumentJson(doc: CompareDocument): string {
  const ordered = {
    format: COMPARE_FORMAT,
    version: COMPARE_VERSION,
    title: doc.title,
    description: doc.description,
    training: doc.training,
    variants: doc.variants.map((v) => ({
      name: v.name,
      ...(v.note !== undefined ? { note: v.note } : {}),
      ...(v.weightDecay !== undefined ? { weightDecay: v.weightDecay } : {}),
      graph: v.graph,
      ...(v.result ? { result: v.result } : {}),
    })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
