import type { GraphDocument, GraphEdge, GraphNode } from './document.js';
import { moveNodes, nodePosition, uniqueId, type Position } from './edits.js';

/** A piece of a graph on the clipboard: some nodes and the edges between them. */
export interface GraphFragment {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** The selected nodes and the edges that run between two of them (edges leaving the selection are dropped). */
export function copyFragment(graph: GraphDocument, ids: Iterable<string>): GraphFragment {
  const chosen = new Set(ids);
  return {
    nodes: graph.nodes.filter((n) => chosen.has(n.id)),
    edges: graph.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target)),
  };
}

/**
 * Pastes a fragment with fresh ids (conv1 → conv3 when conv1 and conv2 exist), shifted by
 * `offset` so the copy does not hide the original; returns the new ids in fragment order.
 */
export function pasteFragment(
  graph: GraphDocument,
  fragment: GraphFragment,
  offset: Position,
): { graph: GraphDocument; ids: string[] } {
  const taken = new Set(graph.nodes.map((n) => n.id));
  const renamed = new Map<string, string>();
  for (const node of fragment.nodes) {
    const id = taken.has(node.id) ? uniqueId(graph, node.type, taken) : node.id;
    taken.add(id);
    renamed.set(node.id, id);
  }
  const nodes = fragment.nodes.map((n) => ({ ...n, id: renamed.get(n.id) ?? n.id }));
  const edges = fragment.edges
    .filter((e) => renamed.has(e.source) && renamed.has(e.target))
    .map((e) => ({
      ...e,
      source: renamed.get(e.source) ?? e.source,
      target: renamed.get(e.target) ?? e.target,
    }));
  const positions = new Map<string, Position>();
  for (const n of nodes) {
    const p = nodePosition(n) ?? { x: 0, y: 0 };
    positions.set(n.id, { x: p.x + offset.x, y: p.y + offset.y });
  }
  const merged = { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] };
  return { graph: moveNodes(merged, positions), ids: nodes.map((n) => n.id) };
}

/**
 * Where a paste goes: `step` away from the copied positions, or further along by whole steps
 * while any pasted node would sit exactly on a node already there — pasting the same clipboard
 * again cascades instead of stacking (at most 100 steps).
 */
export function pasteOffset(
  graph: GraphDocument,
  fragment: GraphFragment,
  step: Position,
): Position {
  const occupied = new Set(
    graph.nodes.map(nodePosition).flatMap((p) => (p === undefined ? [] : [`${p.x},${p.y}`])),
  );
  const from = fragment.nodes.map((n) => nodePosition(n) ?? { x: 0, y: 0 });
  for (let k = 1; k < 100; k++) {
    const free = from.every((p) => !occupied.has(`${p.x + k * step.x},${p.y + k * step.y}`));
    if (free) return { x: k * step.x, y: k * step.y };
  }
  return { x: 100 * step.x, y: 100 * step.y };
}

/** Duplicates the nodes (and the edges among them) next to the originals. */
export function duplicateNodes(
  graph: GraphDocument,
  ids: Iterable<string>,
): { graph: GraphDocument; ids: string[] } {
  return pasteFragment(graph, copyFragment(graph, ids), { x: 40, y: 40 });
}

/** Reads a fragment back from clipboard JSON; anything else gives undefined. */
export function readFragment(value: unknown): GraphFragment | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const { nodes, edges } = value as { nodes?: unknown; edges?: unknown };
  if (!Array.isArray(nodes) || !Array.isArray(edges)) return undefined;
  const okNode = (n: unknown) =>
    n !== null &&
    typeof n === 'object' &&
    typeof (n as GraphNode).id === 'string' &&
    typeof (n as GraphNode).type === 'string';
  const okEdge = (e: unknown) =>
    e !== null &&
    typeof e === 'object' &&
    typeof (e as GraphEdge).source === 'string' &&
    typeof (e as GraphEdge).target === 'string';
  return nodes.every(okNode) && edges.every(okEdge)
    ? { nodes: nodes as GraphNode[], edges: edges as GraphEdge[] }
    : undefined;
}
