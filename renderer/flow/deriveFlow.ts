import type { Edge, Node } from '@xyflow/react';
import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import type { Fix, Severity } from '../../src/core/diagnostics';
import type { GraphDocument } from '../../src/core/graph/document';
import { edgeKey, nodePosition } from '../../src/core/graph/edits';
import { getDefinition } from '../../src/core/layers/registry';
import { formatShape } from '../../src/core/shape';
import { badges, fieldText, keyParams } from './nodeText';

export interface NodeProblem {
  readonly severity: Severity;
  readonly message: string;
  readonly fix: Fix | null;
}

/** What a node component shows: plain JSON, no callbacks (actions come from the store). */
export interface LayerNodeData extends Record<string, unknown> {
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

export interface Size {
  readonly width: number;
  readonly height: number;
}

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;

/**
 * Reuses the previous data object of a node whose content is unchanged, so memoized node
 * components skip re-rendering: on a 500-node graph one edit repaints only what changed.
 */
export class FlowCache {
  private readonly data = new Map<string, { key: string; data: LayerNodeData }>();
  private readonly nodes = new Map<string, LayerFlowNode>();

  stableData(id: string, next: LayerNodeData): LayerNodeData {
    const key = JSON.stringify(next);
    const hit = this.data.get(id);
    if (hit !== undefined && hit.key === key) return hit.data;
    this.data.set(id, { key, data: next });
    return next;
  }

  stableNode(next: LayerFlowNode): LayerFlowNode {
    const prev = this.nodes.get(next.id);
    if (
      prev !== undefined &&
      prev.data === next.data &&
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
}

/** The document and its analysis as React Flow nodes and edges. */
export function deriveFlow(
  doc: GraphDocument,
  analysis: GraphAnalysis,
  selection: ReadonlySet<string>,
  selectedEdges: ReadonlySet<string>,
  cache: FlowCache,
  /** Sizes React Flow measured; a controlled flow must hand them back with each node. */
  measured: ReadonlyMap<string, Size> = new Map(),
): { nodes: LayerFlowNode[]; edges: Edge[] } {
  const nodes = doc.nodes.map((node): LayerFlowNode => {
    const a = analysis.nodes.get(node.id);
    const definition = getDefinition(node.type);
    const problems = (a?.diagnostics ?? []).map((d) => ({
      severity: d.severity,
      message: d.message,
      fix: d.fix ?? null,
    }));
    const data = cache.stableData(node.id, {
      type: node.type,
      category: definition?.category ?? 'Unknown',
      keyParams: keyParams(node),
      shape: a?.outputShape ? formatShape(a.outputShape) : null,
      ...badges(a),
      rf: fieldText(a?.receptiveField ?? null),
      takesInput: (definition?.inputs.max ?? 1) > 0,
      frozen: node.trainable === false,
      severity: problems.some((p) => p.severity === 'error')
        ? 'error'
        : problems.length > 0
          ? 'warning'
          : null,
      problems,
    });
    return cache.stableNode({
      id: node.id,
      type: 'layer',
      position: nodePosition(node) ?? { x: 0, y: 0 },
      data,
      selected: selection.has(node.id),
      ...(measured.has(node.id) && { measured: measured.get(node.id) }),
    });
  });
  const edges = doc.edges.map((e, i): Edge => {
    const key = edgeKey(e, i);
    const shape = analysis.edges[i]?.shape;
    return {
      id: key,
      source: e.source,
      target: e.target,
      label: shape ? formatShape(shape) : undefined,
      selected: selectedEdges.has(key),
    };
  });
  return { nodes, edges };
}
