import { describe, expect, it } from 'vitest';
import { routedPath } from '../../renderer/flow/edgePath';

// A skip edge as ELK routes it: down, right around the main path, down, left into the target.
const route = [
  { x: 100, y: 100 },
  { x: 100, y: 120 },
  { x: 300, y: 120 },
  { x: 300, y: 520 },
  { x: 101, y: 520 },
  { x: 101, y: 540 },
];

describe('edges along their layout route', () => {
  it('follow the route, ends snapped onto the handles, label halfway along it', () => {
    const drawn = routedPath(route, { x: 100, y: 104 }, { x: 105, y: 536 });
    expect(drawn?.path.startsWith('M 100 104 L 100 112 Q 100 120 108 120')).toBe(true);
    // The last vertical segment moves with the target's handle: it stays vertical.
    expect(drawn?.path.endsWith('Q 105 520 105 528 L 105 536')).toBe(true);
    expect(drawn?.label).toEqual({ x: 300, y: 317.5 });
  });

  it('fall back to a plain curve once a node has been dragged away from the route', () => {
    expect(routedPath(route, { x: 100, y: 104 }, { x: 205, y: 536 })).toBeNull();
    expect(routedPath(route, { x: 100, y: 304 }, { x: 105, y: 536 })).toBeNull();
  });
});
