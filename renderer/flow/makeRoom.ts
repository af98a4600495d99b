import type { GraphDocument, GraphNode } from '../../src/core/graph/document';
import { moveNodes, nodePosition, type Position } from '../../src/core/graph/edits';
import type { Size } from './deriveFlow';

/** Kept between a spliced node and its neighbours: the layout's gap, room for the shape label. */
const GAP = 56;

/**
 * Places node `id`, just spliced into the edge A→B (by a drop on the edge or an insert fix), one
 * gap below A — in A and B's column when they share one, else where it was put — and, when that
 * spot is taken, moves everything below A down by the node's height, as inserting a row does, so
 * it overlaps nothing. A node that is not between two placed nodes, one above the other, stays.
 */
export function makeRoom(
  doc: GraphDocument,
  id: string,
  sizeOf: (node: GraphNode) => Size,
): GraphDocument {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const into = doc.edges.filter((e) => e.target === id);
  const out = doc.edges.filter((e) => e.source === id);
  const node = byId.get(id);
  const a = byId.get(into[0]?.source ?? '');
  const b = byId.get(out[0]?.target ?? '');
  if (node === undefined || a === undefined || b === undefined) return doc;
  if (into.length !== 1 || out.length !== 1) return doc;
  const [pa, pb, pn] = [nodePosition(a), nodePosition(b), nodePosition(node)];
  if (pa === undefined || pb === undefined || pn === undefined || pb.y <= pa.y) return doc;
  const size = sizeOf(node);
  const inColumn = Math.abs(pa.x - pb.x) < size.width / 2;
  const at = { x: inColumn ? pb.x : pn.x, y: pa.y + sizeOf(a).height + GAP };
  const below = doc.nodes.flatMap((n) => {
    const p = nodePosition(n);
    return n.id !== id && n.id !== a.id && p !== undefined && p.y >= at.y - GAP / 2
      ? [{ n, p }]
      : [];
  });
  // The first node below A in the new node's way decides how far the rows below must move.
  const inWay = below.filter(({ n, p }) => p.x < at.x + size.width && at.x < p.x + sizeOf(n).width);
  const firstTop = Math.min(...inWay.map(({ p }) => p.y));
  const shift = Math.max(0, at.y + size.height + GAP - firstTop);
  const positions = new Map<string, Position>([[id, at]]);
  if (shift > 0) for (const { n, p } of below) positions.set(n.id, { ...p, y: p.y + shift });
  return moveNodes(doc, positions);
}
