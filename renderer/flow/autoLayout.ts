import type { GraphDocument } from '../../src/core/graph/document';
import { moveNodes, type Position } from '../../src/core/graph/edits';

/** Grid of the layered layout: rows for depth, columns within a row. */
export const LAYER_GAP = 150;
export const COLUMN_GAP = 260;

/**
 * A simple layered (Sugiyama-style) layout, top to bottom: each node's row is its longest path
 * from an input, rows are ordered by the mean column of each node's parents (one sweep), and
 * each row is centred. Good enough for the mostly-linear CNNs people build; cheap on 500 nodes.
 */
export function autoLayout(graph: GraphDocument): GraphDocument {
  const ids = graph.nodes.map((n) => n.id);
  const known = new Set(ids);
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  const children = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of graph.edges) {
    if (!known.has(e.source) || !known.has(e.target) || e.source === e.target) continue;
    parents.get(e.target)?.push(e.source);
    children.get(e.source)?.push(e.target);
  }
  // Longest-path layering over a Kahn order; nodes left on cycles go below everything else.
  const indegree = new Map(ids.map((id) => [id, parents.get(id)?.length ?? 0]));
  const depth = new Map<string, number>();
  const queue = ids.filter((id) => indegree.get(id) === 0);
  for (const id of queue) depth.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    for (const c of children.get(id) ?? []) {
      depth.set(c, Math.max(depth.get(c) ?? 0, (depth.get(id) ?? 0) + 1));
      const left = (indegree.get(c) ?? 0) - 1;
      indegree.set(c, left);
      if (left === 0) queue.push(c);
    }
  }
  const deepest = Math.max(0, ...depth.values());
  for (const id of ids) if (!depth.has(id)) depth.set(id, deepest + 1);

  const rows: string[][] = [];
  for (const id of ids) {
    const d = depth.get(id) ?? 0;
    (rows[d] ??= []).push(id);
  }
  const column = new Map<string, number>();
  const positions = new Map<string, Position>();
  rows.forEach((row, r) => {
    const key = (id: string) => {
      const ps = (parents.get(id) ?? []).filter((p) => column.has(p));
      return ps.length === 0
        ? Infinity
        : ps.reduce((s, p) => s + (column.get(p) ?? 0), 0) / ps.length;
    };
    const ordered = row
      .map((id, i) => ({ id, i, k: key(id) }))
      .sort((a, b) =>
        a.k === b.k ? a.i - b.i : a.k === Infinity ? 1 : b.k === Infinity ? -1 : a.k - b.k,
      );
    ordered.forEach(({ id }, i) => {
      const x = (i - (ordered.length - 1) / 2) * COLUMN_GAP;
      column.set(id, x);
      positions.set(id, { x, y: r * LAYER_GAP });
    });
  });
  return moveNodes(graph, positions);
}
