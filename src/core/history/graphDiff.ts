import { analyze, type GraphAnalysis, type Totals } from '../analysis/analyze.js';
import type { GraphDocument, GraphEdge, GraphNode, ParamValue } from '../graph/document.js';
import { formatShape } from '../shape.js';

/** One parameter written differently in two versions (undefined: not written, the default). */
export interface ParamChange {
  readonly name: string;
  readonly before: ParamValue | undefined;
  readonly after: ParamValue | undefined;
}

/** A node present on one side only, with what it weighs there. */
export interface NodeSide {
  readonly id: string;
  readonly type: string;
  readonly params: number;
  readonly macs: number;
  /** The output shape as text (`16×5×5`), or null when the analysis could not tell. */
  readonly shape: string | null;
}

/**
 * A node in both versions whose own definition changed (type, parameters, frozen, inputs), or
 * whose parameter count changed because its input did (`fc1` after conv2 got more channels).
 */
export interface NodeChange {
  readonly id: string;
  /** True when the node itself was edited; false when only its input's shape changed its count. */
  readonly edited: boolean;
  readonly typeBefore: string;
  readonly typeAfter: string;
  readonly paramChanges: readonly ParamChange[];
  readonly trainableChanged: boolean;
  /** The node's inputs, in port order, where they differ (rewired). */
  readonly inputs: { readonly before: readonly string[]; readonly after: readonly string[] } | null;
  readonly paramsBefore: number;
  readonly paramsAfter: number;
  readonly macsBefore: number;
  readonly macsAfter: number;
  readonly shapeBefore: string | null;
  readonly shapeAfter: string | null;
}

export interface TotalsSide {
  readonly params: number;
  readonly macs: number;
  readonly activationBytes: number;
  readonly nodes: number;
  readonly hasErrors: boolean;
}

/** What changed from one graph document to another, node by node (matched by id). */
export interface GraphDiff {
  readonly added: readonly NodeSide[];
  readonly removed: readonly NodeSide[];
  readonly changed: readonly NodeChange[];
  readonly totals: { readonly before: TotalsSide; readonly after: TotalsSide };
  /** True when no node, edge or parameter differs (layout and names aside). */
  readonly same: boolean;
}

const text = (v: unknown): string => JSON.stringify(v ?? null);

function side(node: GraphNode, a: GraphAnalysis): NodeSide {
  const n = a.nodes.get(node.id);
  return {
    id: node.id,
    type: node.type,
    params: n?.params ?? 0,
    macs: n?.macs ?? 0,
    shape: n?.outputShape ? formatShape(n.outputShape) : null,
  };
}

/** A node's sources in port order (explicit `targetPort` first, as the analysis resolves them). */
function inputsOf(edges: readonly GraphEdge[], id: string): string[] {
  return edges
    .filter((e) => e.target === id)
    .map((e, i) => ({ source: e.source, port: e.targetPort ?? Number.MAX_SAFE_INTEGER, i }))
    .sort((x, y) => x.port - y.port || x.i - y.i)
    .map((e) => e.source);
}

function paramChanges(before: GraphNode, after: GraphNode): ParamChange[] {
  const b = before.params ?? {};
  const a = after.params ?? {};
  const names = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return names
    .filter((name) => text(b[name]) !== text(a[name]))
    .map((name) => ({ name, before: b[name], after: a[name] }));
}

function totalsSide(doc: GraphDocument, t: Totals, a: GraphAnalysis): TotalsSide {
  return {
    params: t.params,
    macs: t.macs,
    activationBytes: t.activationBytes,
    nodes: doc.nodes.length,
    hasErrors: a.hasErrors,
  };
}

/**
 * The difference between two versions of a graph: nodes added, removed and changed (by id; a
 * renamed node is one removed and one added), each with its parameter count from `analyze`, and
 * the totals before and after. Pure; never throws on a graph with errors (its numbers are partial).
 */
export function diffGraphs(before: GraphDocument, after: GraphDocument): GraphDiff {
  const ab = analyze(before);
  const aa = analyze(after);
  const beforeById = new Map(before.nodes.map((n) => [n.id, n]));
  const afterIds = new Set(after.nodes.map((n) => n.id));
  const added = after.nodes.filter((n) => !beforeById.has(n.id)).map((n) => side(n, aa));
  const removed = before.nodes.filter((n) => !afterIds.has(n.id)).map((n) => side(n, ab));
  const changed: NodeChange[] = [];
  for (const node of after.nodes) {
    const old = beforeById.get(node.id);
    if (old === undefined) continue;
    const params = paramChanges(old, node);
    const trainableChanged = (old.trainable ?? true) !== (node.trainable ?? true);
    const inB = inputsOf(before.edges, node.id);
    const inA = inputsOf(after.edges, node.id);
    const rewired = text(inB) !== text(inA);
    const edited = old.type !== node.type || params.length > 0 || trainableChanged || rewired;
    const b = side(old, ab);
    const a = side(node, aa);
    if (!edited && b.params === a.params) continue;
    changed.push({
      id: node.id,
      edited,
      typeBefore: old.type,
      typeAfter: node.type,
      paramChanges: params,
      trainableChanged,
      inputs: rewired ? { before: inB, after: inA } : null,
      paramsBefore: b.params,
      paramsAfter: a.params,
      macsBefore: b.macs,
      macsAfter: a.macs,
      shapeBefore: b.shape,
      shapeAfter: a.shape,
    });
  }
  // Edges between surviving nodes show up as a rewired input above; this catches the rest.
  const edgeKey = (e: GraphEdge) => text([e.source, e.target, e.targetPort ?? null]);
  const edgesSame =
    text(before.edges.map(edgeKey).sort()) === text(after.edges.map(edgeKey).sort());
  return {
    added,
    removed,
    changed,
    totals: {
      before: totalsSide(before, ab.totals, ab),
      after: totalsSide(after, aa.totals, aa),
    },
    same: added.length + removed.length + changed.length === 0 && edgesSame,
  };
}

/** `kernel_size 5 → 3`, `padding (default) → 1`: one parameter change as text. */
export function formatParamChange(c: ParamChange): string {
  const show = (v: ParamValue | undefined) => (v === undefined ? '(default)' : text(v));
  return `${c.name} ${show(c.before)} → ${show(c.after)}`;
}
