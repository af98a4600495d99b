/** Pointer offsets tried around a drop, so a drop near a thin edge still lands on it. */
const PROBES: readonly (readonly [number, number])[] = [
  [0, 0],
  [-8, 0],
  [8, 0],
  [0, -8],
  [0, 8],
];

/** The React Flow id of the edge at (or within a few pixels of) a client point, or null. */
export function edgeAt(x: number, y: number): string | null {
  for (const [dx, dy] of PROBES) {
    for (const el of document.elementsFromPoint(x + dx, y + dy)) {
      // A node above the edge takes the drop as a plain add.
      if (el.closest('.react-flow__node') !== null) return null;
      const edge = el.closest('.react-flow__edge');
      const id = edge?.getAttribute('data-id');
      if (id) return id;
    }
  }
  return null;
}
