import { budgetsProblem } from '../budgets/budgets.js';
import { describe } from '../params/resolveParams.js';
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument } from './document.js';
import { migrateDocument } from './migrations.js';

export type ParseOutcome =
  | { readonly ok: true; readonly graph: GraphDocument }
  | { readonly ok: false; readonly error: string };

/**
 * Reads `*.nnb.json` text: JSON syntax errors name the line and column, structural ones the
 * JSON path (`nodes[3].type`). Unknown extra fields are kept, so newer files round-trip.
 */
export function parseGraphJson(text: string): ParseOutcome {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: jsonSyntaxMessage(text, error) };
  }
  return readGraphDocument(value);
}

/** Checks that a parsed JSON value is a graph document this version can read. */
export function readGraphDocument(value: unknown): ParseOutcome {
  const fail = (error: string): ParseOutcome => ({ ok: false, error });
  if (!isObject(value))
    return fail(`expected a JSON object with "format": "${GRAPH_FORMAT}", got ${kind(value)}`);
  if (value.format !== GRAPH_FORMAT) {
    return fail(
      value.format === undefined
        ? `not an NN Builder graph: the "format" field is missing (expected "${GRAPH_FORMAT}")`
        : `not an NN Builder graph: "format" is ${describe(value.format)}, expected "${GRAPH_FORMAT}"`,
    );
  }
  const version = value.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return fail(`"version" must be a positive integer, got ${describe(version)}`);
  }
  if (version > GRAPH_VERSION) {
    return fail(
      `this file is format version ${version}, made by a newer NN Builder; this one reads versions up to ${GRAPH_VERSION}. Update NN Builder to open it.`,
    );
  }
  const migrated = migrateDocument(value, version);
  const problem = structureProblem(migrated);
  return problem === undefined
    ? { ok: true, graph: migrated as unknown as GraphDocument }
    : fail(problem);
}

function structureProblem(doc: Record<string, unknown>): string | undefined {
  for (const key of ['name', 'description'] as const) {
    if (doc[key] !== undefined && typeof doc[key] !== 'string')
      return `"${key}" must be a string, got ${describe(doc[key])}`;
  }
  const budgets = budgetsProblem(doc.budgets);
  if (budgets !== undefined) return budgets;
  const { nodes, edges } = doc;
  if (!Array.isArray(nodes)) return `"nodes" must be a list of nodes, got ${kind(nodes)}`;
  if (!Array.isArray(edges)) return `"edges" must be a list of edges, got ${kind(edges)}`;
  for (const [i, node] of nodes.entries()) {
    const at = `nodes[${i}]`;
    if (!isObject(node)) return `${at} must be an object with "id" and "type", got ${kind(node)}`;
    if (typeof node.id !== 'string' || node.id === '')
      return `${at}.id must be a non-empty string, got ${describe(node.id)}`;
    if (typeof node.type !== 'string' || node.type === '')
      return `${at} ("${node.id}"): "type" must be a layer type such as "Conv2d", got ${describe(node.type)}`;
    if (node.params !== undefined && !isObject(node.params))
      return `${at} ("${node.id}"): "params" must be an object, got ${kind(node.params)}`;
    if (node.trainable !== undefined && typeof node.trainable !== 'boolean')
      return `${at} ("${node.id}"): "trainable" must be true or false`;
  }
  for (const [i, edge] of edges.entries()) {
    const at = `edges[${i}]`;
    if (!isObject(edge))
      return `${at} must be an object with "source" and "target", got ${kind(edge)}`;
    if (typeof edge.source !== 'string')
      return `${at}.source must be a node id (string), got ${describe(edge.source)}`;
    if (typeof edge.target !== 'string')
      return `${at}.target must be a node id (string), got ${describe(edge.target)}`;
    const port = edge.targetPort;
    if (port !== undefined && (typeof port !== 'number' || !Number.isInteger(port) || port < 0)) {
      return `${at}.targetPort must be 0, 1, 2, …, got ${describe(port)}`;
    }
  }
  return undefined;
}

/** `line 12, column 5: Expected ',' or '}' after property value`. */
export function jsonSyntaxMessage(text: string, error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  if (text.trim() === '') return 'the file is empty (expected a JSON graph document)';
  const explicit = /line (\d+) column (\d+)/.exec(raw);
  let where: string;
  if (explicit) where = `line ${explicit[1]}, column ${explicit[2]}`;
  else {
    const position = /position (\d+)/.exec(raw);
    const offset = position ? Number(position[1]) : errorOffset(text);
    const before = text.slice(0, offset).split('\n');
    where = `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
  }
  const reason = raw
    .replace(/\s*in JSON at position \d+.*$/, '')
    .replace(/\s*\(line \d+ column \d+\)$/, '')
    .replace(/^JSON\.parse: /, '')
    .replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '');
  return `invalid JSON at ${where}: ${reason}`;
}

/**
 * Offset of the first character JSON.parse rejects, for engines whose message gives no position:
 * the shortest prefix that fails for a reason other than ending early (binary search).
 */
function errorOffset(text: string): number {
  const failsInside = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (error) {
      const message = String(error);
      if (/end of JSON input/.test(message)) return false;
      const at = /position (\d+)/.exec(message);
      return at === null || Number(at[1]) < length;
    }
  };
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (failsInside(mid + 1)) high = mid;
    else low = mid + 1;
  }
  return low;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${describe(v)}`;
}
