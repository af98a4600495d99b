import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import type { Fix, Severity } from '../../src/core/diagnostics';
import type { GraphDocument, GraphNode } from '../../src/core/graph/document';
import { getDefinition } from '../../src/core/layers/registry';
import { formatShape } from '../../src/core/shape';
import { badges, fieldText, keyParams } from './nodeText';

export interface NodeProblem {
  readonly severity: Severity;
  readonly message: string;
  readonly fix: Fix | null;
}

/** What a node shows: plain JSON derived from the document and its analysis. */
export interface NodeView {
  readonly type: string;
  readonly category: string;
  readonly keyParams: string;
  readonly shape: string | null;
  readonly params: string | null;
  readonly macs: string | null;
  readonly rf: string | null;
  readonly takesInput: boolean;
  readonly frozen: boolean;
  readonly severity: Severity | null;
  readonly problems: readonly NodeProblem[];
}

const indexes = new WeakMap<GraphDocument, ReadonlyMap<string, GraphNode>>();

/** The document's nodes by id, built once per document version. */
export function nodeIndex(doc: GraphDocument): ReadonlyMap<string, GraphNode> {
  let index = indexes.get(doc);
  if (index === undefined) {
    index = new Map(doc.nodes.map((n) => [n.id, n]));
    indexes.set(doc, index);
  }
  return index;
}

/** The view of node `id`, or null when the document has no such node (it was just deleted). */
export function nodeView(doc: GraphDocument, analysis: GraphAnalysis, id: string): NodeView | null {
  const node = nodeIndex(doc).get(id);
  if (node === undefined) return null;
  const a = analysis.nodes.get(id);
  const definition = getDefinition(node.type);
  const problems = (a?.diagnostics ?? []).map((d) => ({
    severity: d.severity,
    message: d.message,
    fix: d.fix ?? null,
  }));
  return {
    type: node.type,
    category: definition?.category ?? 'Unknown',
    keyParams: keyParams(node),
    shape: a?.outputShape ? formatShape(a.outputShape) : null,
    ...badges(a),
    rf: fieldText(a?.receptiveField ?? null),
    takesInput: (definition?.inputs.max ?? 1) > 0,
    frozen: node.trainable === false,
    severity: severityOf(problems),
    problems,
  };
}

export function severityOf(problems: readonly { severity: Severity }[]): Severity | null {
  if (problems.some((p) => p.severity === 'error')) return 'error';
  return problems.length > 0 ? 'warning' : null;
}

/** Everything a node shows, as one string: equal keys, equal pictures. */
function viewKey(d: NodeView): string {
  let key = `${d.type}|${d.category}|${d.keyParams}|${d.shape}|${d.params}|${d.macs}|${d.rf}|${d.takesInput}|${d.frozen}|${d.severity}`;
  for (const p of d.problems) key += `|${p.severity}:${p.message}:${p.fix?.description ?? ''}`;
  return key;
}

/**
 * Hands back the previous view object of a node whose content did not change, so a node
 * component's store selector returns the same object and the node does not re-render.
 */
export class ViewCache {
  private readonly views = new Map<string, { key: string; view: NodeView }>();

  stable(id: string, next: NodeView | null): NodeView | null {
    if (next === null) {
      this.views.delete(id);
      return null;
    }
    const key = viewKey(next);
    const hit = this.views.get(id);
    if (hit !== undefined && hit.key === key) return hit.view;
    this.views.set(id, { key, view: next });
    return next;
  }
}
