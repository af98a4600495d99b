import { analyze, type GraphAnalysis, type NodeAnalysis } from '../analysis/analyze.js';
import { formatBytes, formatCount } from '../format/numbers.js';
import type { GraphDocument } from '../graph/document.js';
import { getDefinition } from '../layers/registry.js';
import { formatShape } from '../shape.js';

/** One row of a side-by-side comparison: a metric for each graph, and how it was computed. */
export interface CompareRow {
  readonly metric: string;
  readonly values: readonly number[];
  /** The values as shown (`200,768`, `4.82 MB`, `7×7`). */
  readonly display: readonly string[];
  /** Per graph, the formula behind the value with its numbers (empty when it is a plain count). */
  readonly formulas: readonly string[];
  /** True when the graphs disagree on this metric: the view highlights the row. */
  readonly differs: boolean;
  /** Index of the best value (the smallest cost, the highest accuracy), or null when no side is better. */
  readonly best: number | null;
  /** Which way is better: `lower` (costs), `higher` (accuracies), or null (neither). */
  readonly better: 'lower' | 'higher' | null;
  /** Per graph: its value counts (false for a graph with errors, whose totals are partial). */
  readonly valid: readonly boolean[];
}

export interface Comparison {
  readonly names: readonly string[];
  readonly rows: readonly CompareRow[];
  /** Graphs with errors cannot be compared fairly; their problems are listed here. */
  readonly problems: readonly string[];
}

/** Whether a node's type is flagged `weighted` in its definition (counts toward depth). */
function weighted(type: string): boolean {
  const d = getDefinition(type);
  return d?.kind === 'layer' && d.weighted === true;
}

/** Compares graphs on the numbers instructors put side by side (params, MACs, memory, depth, nonlinearities, RF). */
export function compareGraphs(
  entries: readonly { readonly name: string; readonly graph: GraphDocument }[],
): Comparison {
  const analyses = entries.map((e) => analyze(e.graph));
  const problems = analyses.flatMap((a, i) =>
    a.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `${entries[i]?.name}: ${d.message}`),
  );
  const row = (
    metric: string,
    values: number[],
    show: (v: number, a: GraphAnalysis) => string,
    formulas: string[] = values.map(() => ''),
    lowerIsBetter = true,
  ): CompareRow => ({
    metric,
    values,
    display: values.map((v, i) => show(v, analyses[i] as GraphAnalysis)),
    formulas,
    differs: new Set(values).size > 1,
    best: lowerIsBetter ? cheapest(values, analyses) : null,
    better: lowerIsBetter ? 'lower' : null,
    valid: analyses.map((a) => !a.hasErrors),
  });
  const count = (v: number) => formatCount(v);
  const rows: CompareRow[] = [
    row(
      'Parameters',
      analyses.map((a) => a.totals.params),
      count,
      analyses.map(weightFormula),
    ),
    row(
      'MACs',
      analyses.map((a) => a.totals.macs),
      count,
      analyses.map(macFormula),
    ),
    row(
      'Activation memory (per sample)',
      analyses.map((a) => a.totals.activationBytes),
      formatBytes,
    ),
    row(
      'Parameter memory',
      analyses.map((a) => a.totals.paramBytes),
      formatBytes,
    ),
    row(
      'Weighted layers (depth)',
      analyses.map(depth),
      count,
      analyses.map(() => ''),
      false,
    ),
    row(
      'Nonlinearities',
      analyses.map(nonlinearities),
      count,
      analyses.map(() => ''),
      false,
    ),
    row(
      'Largest receptive field',
      analyses.map(outputField),
      (v) => (v === 0 ? '—' : `${formatCount(v)}×${formatCount(v)}`),
      analyses.map(largestFieldAt),
      false,
    ),
    (() => {
      const fields = analyses.map(fieldsAtOutputs);
      return row(
        'Receptive field at each output',
        fields.map((f) => f.value),
        (_, a) => fieldsAtOutputs(a).text,
        fields.map((f) => f.formula),
        false,
      );
    })(),
  ];
  return { names: entries.map((e) => e.name), rows, problems };
}

/** Parameters as a sum of layer formulas, equal layers grouped: `3 × (3·3·64·64 + 64) = 110,784`. */
function weightFormula(a: GraphAnalysis): string {
  return groupedFormula(
    a.layers.filter((l) => l.params > 0),
    'params',
    (l) => l.params,
  );
}

function macFormula(a: GraphAnalysis): string {
  return groupedFormula(
    a.layers.filter((l) => l.macs > 0),
    'MACs',
    (l) => l.macs,
  );
}

function groupedFormula(
  layers: readonly NodeAnalysis[],
  label: string,
  value: (l: NodeAnalysis) => number,
): string {
  const groups = new Map<string, { count: number; total: number }>();
  for (const l of layers) {
    const expression = l.trace.find((t) => t.label === label)?.expression ?? formatCount(value(l));
    const g = groups.get(expression) ?? { count: 0, total: 0 };
    groups.set(expression, { count: g.count + 1, total: g.total + value(l) });
  }
  const terms = [...groups].map(([expr, g]) => (g.count === 1 ? expr : `${g.count} × (${expr})`));
  const total = layers.reduce((s, l) => s + value(l), 0);
  return terms.length === 0 ? '0' : `${terms.join(' + ')} = ${formatCount(total)}`;
}

/** Weighted layers on the longest input→output path (conv, transposed conv, linear). */
function depth(a: GraphAnalysis): number {
  const memo = new Map<string, number>();
  const walk = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const n = a.nodes.get(id);
    if (n === undefined) return 0;
    memo.set(id, 0); // cycles (reported elsewhere) end here
    const own = weighted(n.type) ? 1 : 0;
    const inner = n.children.length > 0 ? depthOfBlock(a, n) : 0;
    const d = own + inner + Math.max(0, ...n.sources.map(walk));
    memo.set(id, d);
    return d;
  };
  return Math.max(0, ...a.outputs.map(walk));
}

function depthOfBlock(a: GraphAnalysis, block: NodeAnalysis): number {
  // The longest chain inside a block: walk back from its output node within the block.
  const inside = new Set(block.children);
  const memo = new Map<string, number>();
  const walk = (id: string): number => {
    if (!inside.has(id)) return 0;
    const known = memo.get(id);
    if (known !== undefined) return known;
    const n = a.nodes.get(id);
    const d = (n && weighted(n.type) ? 1 : 0) + Math.max(0, ...(n?.sources ?? []).map(walk));
    memo.set(id, d);
    return d;
  };
  return walk(block.outputNode);
}

function nonlinearities(a: GraphAnalysis): number {
  return a.layers.filter(
    (l) =>
      getDefinition(l.type)?.category === 'Activation' &&
      l.type !== 'Softmax' &&
      l.type !== 'LogSoftmax',
  ).length;
}

/** The largest receptive field (height) among the feature maps (the Input's own 1 excluded). */
function outputField(a: GraphAnalysis): number {
  const fields = a.layers
    .filter((l) => l.type !== 'Input')
    .map((l) => l.receptiveField?.size[0] ?? 0);
  return Math.max(0, ...fields);
}

/** H×W of the first image Input, or null. */
function inputImage(a: GraphAnalysis): readonly [number, number] | null {
  const [, h, w] = a.layers.find((l) => l.type === 'Input')?.outputShape ?? [];
  return h !== undefined && w !== undefined ? [h, w] : null;
}

/**
 * Where the largest field is reached: `at pool2 (32×7×7)`; that it spans the whole image when it
 * is as large as the input (a field may exceed the image: the part outside is padding); or, for
 * a network without feature maps, that its first Linear layer already sees every input value.
 */
function largestFieldAt(a: GraphAnalysis): string {
  const size = outputField(a);
  const layer = size === 0 ? undefined : a.layers.find((l) => l.receptiveField?.size[0] === size);
  if (layer === undefined) {
    const dense = a.layers.find((l) => l.type === 'Linear');
    const inputs = dense?.inputShapes[0]?.reduce((x, y) => x * y, 1);
    return dense && inputs !== undefined
      ? `no feature maps: each ${dense.id} unit sees all ${formatCount(inputs)} input values`
      : '';
  }
  const at = `at ${layer.id}${layer.outputShape ? ` (${formatShape(layer.outputShape)})` : ''}`;
  const image = inputImage(a);
  return image !== null && size >= Math.max(...image)
    ? `${at}: larger than the ${image[0]}×${image[1]} input, so it sees all of it`
    : at;
}

/**
 * The index of the smallest value among graphs without errors (a broken graph's partial totals
 * are no achievement), or null when those values are all equal.
 */
function cheapest(values: readonly number[], analyses: readonly GraphAnalysis[]): number | null {
  const valid = values.map((v, i) => ({ v, i })).filter(({ i }) => !analyses[i]?.hasErrors);
  if (new Set(valid.map(({ v }) => v)).size < 2) return null;
  const min = Math.min(...valid.map(({ v }) => v));
  return valid.find(({ v }) => v === min)?.i ?? null;
}

/**
 * The field of every output unit: `relu3: 7×7`; a Flatten output keeps its input's field per
 * element; after a Linear layer every output sees the whole input (value: Infinity, so such
 * outputs compare equal whatever the input's shape).
 */
function fieldsAtOutputs(a: GraphAnalysis): { value: number; text: string; formula: string } {
  const parts = a.outputs.map((id) => {
    const n = a.nodes.get(id);
    const own = n?.receptiveField?.size;
    const flattened =
      n?.type === 'Flatten' ? a.nodes.get(n.sources[0] ?? '')?.receptiveField?.size : undefined;
    const size = own ?? flattened;
    if (size === undefined)
      return {
        id,
        value: Number.POSITIVE_INFINITY,
        text: 'whole input',
        formula: `${id}: a Linear layer connects every output to every input value`,
      };
    return {
      id,
      value: size[0],
      text: `${formatCount(size[0])}×${formatCount(size[1])}`,
      formula: own ? '' : `${id}: each flattened value keeps its map position’s field`,
    };
  });
  const value = Math.max(0, ...parts.map((p) => p.value));
  const text =
    parts.length === 1
      ? (parts[0]?.text ?? '—')
      : parts.map((p) => `${p.id}: ${p.text}`).join(', ');
  const formula = parts
    .map((p) => p.formula)
    .filter((f) => f !== '')
    .join('; ');
  return { value, text: parts.length === 0 ? '—' : text, formula };
}
