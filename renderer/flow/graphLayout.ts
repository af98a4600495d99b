import type { ElkExtendedEdge, ElkNode, ElkPoint, ElkPort, LayoutOptions } from 'elkjs/lib/elk-api';
import type { GraphDocument, GraphEdge, GraphNode } from '../../src/core/graph/document';
import { edgeKey, moveNodes, nodePosition, type Position } from '../../src/core/graph/edits';
import { keyParams } from './nodeText';

/**
 * The graph document as an ELK graph and back: the pure half of the automatic layout. ELK itself
 * runs elsewhere (a Web Worker in the app, in-process in the tests), behind `ElkLayouter`.
 */

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** What the layout needs of ELK: `elk.layout` (elkjs's `ELK` has it, in a worker or not). */
export interface ElkLayouter {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/**
 * Node positions (top-left, flow coordinates) and the orthogonal route of each edge (keyed by
 * `edgeKey`; the editor keeps routes beside the document, see ShapeEdge).
 */
export interface GraphLayout {
  readonly positions: ReadonlyMap<string, Position>;
  readonly routes: ReadonlyMap<string, readonly Position[]>;
}

/**
 * A node before React Flow has measured it (a file being opened): the CSS width of `.layer-node`
 * and the height of its lines — title and badges, plus the key-parameter line when it has one.
 */
export function estimatedSize(node: GraphNode): Size {
  return { width: 210, height: keyParams(node) === '' ? 58 : 74 };
}

/**
 * Layered (Sugiyama) layout, top to bottom like the node handles (inputs on top, output below).
 * Between layers there is room for the shape label drawn on each edge; ties keep the document's
 * order, so a network reads in the order it was written; edges run orthogonally around nodes.
 */
export const LAYOUT_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.spacing.nodeNode': '48',
  'elk.spacing.edgeNode': '24',
  'elk.spacing.edgeEdge': '16',
  'elk.layered.spacing.edgeNodeBetweenLayers': '24',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.padding': '[top=0,left=0,bottom=0,right=0]',
};

/**
 * A node has one input handle, at its top centre. Input slot 0 sits there, slot k k pixels to
 * the right: the path into slot 0 (the main path of a residual block) stays straight, and the
 * crossing minimisation still sees Concat's inputs in order, first on the left.
 */
export const PORT_GAP = 1;

/**
 * The input slot each edge feeds, as the analysis numbers them: explicit `targetPort`s first,
 * edges without one fill the free slots in edge order (see src/core/analysis/topology.ts).
 */
export function inputSlots(edges: readonly GraphEdge[]): number[] {
  const taken = new Map<string, Set<number>>();
  for (const e of edges)
    if (e.targetPort !== undefined)
      taken.set(e.target, (taken.get(e.target) ?? new Set()).add(e.targetPort));
  const next = new Map<string, number>();
  return edges.map((e) => {
    if (e.targetPort !== undefined) return e.targetPort;
    const used = taken.get(e.target) ?? new Set<number>();
    let slot = next.get(e.target) ?? 0;
    while (used.has(slot)) slot++;
    next.set(e.target, slot + 1);
    return slot;
  });
}

/**
 * The ELK graph of a document: one ELK node per layer with its size, an output port at the
 * bottom centre and one input port per used input slot at the top centre (see PORT_GAP). Edges
 * to unknown nodes and self-loops are left out: the analysis reports them, the layout need not
 * draw them.
 */
export function toElkGraph(doc: GraphDocument, sizeOf: (node: GraphNode) => Size): ElkNode {
  const known = new Set(doc.nodes.map((n) => n.id));
  const slots = inputSlots(doc.edges);
  const edges: ElkExtendedEdge[] = [];
  const usedSlots = new Map<string, Set<number>>();
  doc.edges.forEach((e, i) => {
    if (!known.has(e.source) || !known.has(e.target) || e.source === e.target) return;
    const slot = slots[i] ?? 0;
    usedSlots.set(e.target, (usedSlots.get(e.target) ?? new Set()).add(slot));
    edges.push({
      id: edgeKey(e, i),
      sources: [`${e.source}/out`],
      targets: [`${e.target}/in${slot}`],
    });
  });
  const children = doc.nodes.map((n): ElkNode => {
    const { width, height } = sizeOf(n);
    const inputs = [...(usedSlots.get(n.id) ?? [])].sort((a, b) => a - b);
    const ports: ElkPort[] = inputs.map((slot, k) => ({
      id: `${n.id}/in${slot}`,
      x: width / 2 + k * PORT_GAP,
      y: 0,
      width: 0,
      height: 0,
      layoutOptions: { 'elk.port.side': 'NORTH' },
    }));
    ports.push({
      id: `${n.id}/out`,
      x: width / 2,
      y: height,
      width: 0,
      height: 0,
      layoutOptions: { 'elk.port.side': 'SOUTH' },
    });
    return {
      id: n.id,
      width,
      height,
      ports,
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
    };
  });
  return { id: 'root', layoutOptions: LAYOUT_OPTIONS, children, edges };
}

/** Positions and routes out of ELK's answer, rounded to whole pixels. */
export function fromElkGraph(result: ElkNode): GraphLayout {
  const round = (p: ElkPoint): Position => ({ x: Math.round(p.x), y: Math.round(p.y) });
  const positions = new Map<string, Position>();
  for (const child of result.children ?? [])
    positions.set(child.id, round({ x: child.x ?? 0, y: child.y ?? 0 }));
  const routes = new Map<string, readonly Position[]>();
  for (const edge of result.edges ?? []) {
    const section = (edge as ElkExtendedEdge).sections?.[0];
    if (section === undefined) continue;
    const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
    routes.set(edge.id, points.map(round));
  }
  return { positions, routes };
}

/** Lays out the whole document with ELK. */
export async function computeLayout(
  elk: ElkLayouter,
  doc: GraphDocument,
  sizeOf: (node: GraphNode) => Size = estimatedSize,
): Promise<GraphLayout> {
  return fromElkGraph(await elk.layout(toElkGraph(doc, sizeOf)));
}

/** True when some node has no stored position (a template, a hand-written or imported file). */
export function needsLayout(doc: GraphDocument): boolean {
  return doc.nodes.some((n) => nodePosition(n) === undefined);
}

/**
 * Puts the positions of a layout computed from `base` onto `current`, the document as it is when
 * the layout arrives: a node the user moved (or added, or deleted) meanwhile keeps what the user
 * did; the others take their new position. Returns `current` itself when nothing moves.
 */
export function applyLayout(
  base: GraphDocument,
  current: GraphDocument,
  layout: GraphLayout,
): GraphDocument {
  const before = new Map(base.nodes.map((n) => [n.id, nodePosition(n)]));
  const moved = new Map<string, Position>();
  for (const node of current.nodes) {
    const p = layout.positions.get(node.id);
    const now = nodePosition(node);
    const was = before.get(node.id);
    const untouched = before.has(node.id) && now?.x === was?.x && now?.y === was?.y;
    if (p !== undefined && untouched && (p.x !== now?.x || p.y !== now?.y)) moved.set(node.id, p);
  }
  // Laying out a laid-out graph again changes nothing, and must not make an undo step.
  return moved.size === 0 ? current : moveNodes(current, moved);
}

/**
 * Stand-in positions for nodes without one, in one column in document order: what a document
 * shows when no layout engine is at hand (tests) or the engine failed.
 */
export function stackUnplaced(doc: GraphDocument): GraphDocument {
  const step = 74 + 56;
  const positions = new Map<string, Position>();
  doc.nodes.forEach((n, i) => {
    if (nodePosition(n) === undefined) positions.set(n.id, { x: 0, y: i * step });
  });
  return positions.size === 0 ? doc : moveNodes(doc, positions);
}
