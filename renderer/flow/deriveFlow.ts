import type { Edge, Node } from '@xyflow/react';
import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import type { Severity } from '../../src/core/diagnostics';
import type { GraphDocument } from '../../src/core/graph/document';
import { edgeKey, nodePosition } from '../../src/core/graph/edits';
import { severityOf } from './nodeView';

/**
 * React Flow's node data: only what React Flow itself uses (the minimap colours errors). What a
 * node shows is selected from the store by the node component (see nodeView.ts), so a
 * parameter edit does not hand React Flow 500 new nodes to diff.
 */
export interface LayerNodeData extends Record<string, unknown> {
  readonly severity: Severity | null;
}

export interface Size {
  readonly width: number;
  readonly height: number;
}

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;

/** Reuses unchanged node and edge objects, and the arrays themselves when nothing changed. */
export class FlowCache {
  private readonly nodes = new Map<string, LayerFlowNode>();
  private readonly edges = new Map<string, Edge>();
  private lastNodes: LayerFlowNode[] = [];
  private lastEdges: Edge[] = [];

  stableNode(next: LayerFlowNode): LayerFlowNode {
    const prev = this.nodes.get(next.id);
    if (
      prev !== undefined &&
      prev.data.severity === next.data.severity &&
      prev.selected === next.selected &&
      prev.position.x === next.position.x &&
      prev.position.y === next.position.y &&
      prev.measured?.width === next.measured?.width &&
      prev.measured?.height === next.measured?.height
    )
      return prev;
    this.nodes.set(next.id, next);
    return next;
  }

  stableEdge(next: Edge): Edge {
    const prev = this.edges.get(next.id);
    if (prev !== undefined && prev.selected === next.selected) return prev;
    this.edges.set(next.id, next);
    return next;
  }

  stableArrays(nodes: LayerFlowNode[], edges: Edge[]): { nodes: LayerFlowNode[]; edges: Edge[] } {
    const same = <T>(a: T[], b: T[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    if (!same(nodes, this.lastNodes)) this.lastNodes = nodes;
    if (!same(edges, this.lastEdges)) this.lastEdges = edges;
    return { nodes: this.lastNodes, edges: this.lastEdges };
  }
}

/** The document as React Flow nodes and edges: positions, selection, wiring. */
export function deriveFlow(
  doc: GraphDocument,
  analysis: GraphAnalysis,
  selection: ReadonlySet<string>,
  selectedEdges: ReadonlySet<string>,
  cache: FlowCache,
  /** Sizes React Flow measured; a controlled flow must hand them back with each node. */
  measured: ReadonlyMap<string, Size> = new Map(),
): { nodes: LayerFlowNode[]; edges: Edge[] } {
  const nodes = doc.nodes.map((node) =>
    cache.stableNode({
      id: node.id,
      type: 'layer',
      position: nodePosition(node) ?? { x: 0, y: 0 },
      data: { severity: severityOf(analysis.nodes.get(node.id)?.diagnostics ?? []) },
      selected: selection.has(node.id),
      ...(measured.has(node.id) && { measured: measured.get(node.id) }),
    }),
  );
  const edges = doc.edges.map((e, i) => {
    const id = edgeKey(e, i);
    return cache.stableEdge({
      id,
      type: 'shape',
      source: e.source,
      target: e.target,
      selected: selectedEdges.has(id),
    });
  });
  return cache.stableArrays(nodes, edges);
}
