import type { Position } from '../../src/core/graph/edits';

/** How far a stored route's ends may be from the handles and still be drawn (pixels). */
const END_TOLERANCE = 24;
const CORNER_RADIUS = 8;

/**
 * The SVG path of an edge along the route the last automatic layout gave it (orthogonal, with
 * rounded corners), its ends snapped onto the handles, and the point halfway along it for the
 * label. `null` when the route no longer meets the handles — a node was dragged since — and the
 * edge is drawn as React Flow's plain curve instead.
 */
export function routedPath(
  route: readonly Position[],
  source: Position,
  target: Position,
): { path: string; label: Position } | null {
  const first = route[0];
  const last = route[route.length - 1];
  if (first === undefined || last === undefined || route.length < 2) return null;
  const near = (a: Position, b: Position) =>
    Math.abs(a.x - b.x) <= END_TOLERANCE && Math.abs(a.y - b.y) <= END_TOLERANCE;
  if (!near(first, source) || !near(last, target)) return null;
  // Snap the ends; a segment that ran straight into an end stays straight.
  const points = route.map((p) => ({ ...p }));
  const snap = (i: number, to: Position, neighbour: number) => {
    const p = points[i] as Position;
    const n = points[neighbour];
    if (n !== undefined && neighbour !== 0 && neighbour !== points.length - 1 && n.x === p.x)
      n.x = to.x;
    points[i] = to;
  };
  snap(0, source, 1);
  snap(points.length - 1, target, points.length - 2);
  return { path: roundedPolyline(points), label: halfway(points) };
}

function roundedPolyline(points: readonly Position[]): string {
  const [start, ...rest] = points as [Position, ...Position[]];
  let d = `M ${start.x} ${start.y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]] as [Position, Position, Position];
    const r = Math.min(CORNER_RADIUS, dist(a, b) / 2, dist(b, c) / 2);
    const into = toward(b, a, r);
    const out = toward(b, c, r);
    d += ` L ${into.x} ${into.y} Q ${b.x} ${b.y} ${out.x} ${out.y}`;
  }
  const end = rest[rest.length - 1] as Position;
  return `${d} L ${end.x} ${end.y}`;
}

function halfway(points: readonly Position[]): Position {
  const lengths = points.slice(1).map((p, i) => dist(points[i] as Position, p));
  let left = lengths.reduce((s, l) => s + l, 0) / 2;
  for (let i = 0; i < lengths.length; i++) {
    const l = lengths[i] as number;
    if (left <= l) return toward(points[i] as Position, points[i + 1] as Position, left);
    left -= l;
  }
  return points[points.length - 1] as Position;
}

const dist = (a: Position, b: Position) => Math.hypot(b.x - a.x, b.y - a.y);

/** The point `d` pixels from `a` toward `b`. */
function toward(a: Position, b: Position, d: number): Position {
  const l = dist(a, b);
  return l === 0 ? a : { x: a.x + ((b.x - a.x) * d) / l, y: a.y + ((b.y - a.y) * d) / l };
}
