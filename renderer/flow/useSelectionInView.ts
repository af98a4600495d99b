import { useReactFlow } from '@xyflow/react';
import { useEffect, type RefObject } from 'react';
import { useEditor } from '../store/useEditor';

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** True when box `a` lies wholly inside box `b`. */
export function boxInside(a: Box, b: Box): boolean {
  return a.left >= b.left && a.top >= b.top && a.right <= b.right && a.bottom <= b.bottom;
}

// Whether the user's last input was a key: only then does the view follow the selection, so a
// click or a drag never pans the canvas under the pointer.
let byKeyboard = false;
if (typeof window !== 'undefined') {
  window.addEventListener('keydown', () => (byKeyboard = true), true);
  window.addEventListener('pointerdown', () => (byKeyboard = false), true);
}

/**
 * When the keyboard moves the selection (the arrow keys) to a node not wholly inside the canvas,
 * pans the view to centre it, keeping the zoom.
 */
export function useSelectionInView(container: RefObject<HTMLElement | null>): void {
  const flow = useReactFlow();
  const id = useEditor((s) => (s.selection.length === 1 ? s.selection[0] : undefined));
  useEffect(() => {
    const node = id === undefined ? undefined : flow.getInternalNode(id);
    if (!byKeyboard || node === undefined || container.current === null) return;
    const { x, y } = node.internals.positionAbsolute;
    const w = node.measured.width ?? 210;
    const h = node.measured.height ?? 74;
    const from = flow.flowToScreenPosition({ x, y });
    const to = flow.flowToScreenPosition({ x: x + w, y: y + h });
    const view = container.current.getBoundingClientRect();
    if (boxInside({ left: from.x, top: from.y, right: to.x, bottom: to.y }, view)) return;
    void flow.setCenter(x + w / 2, y + h / 2, { zoom: flow.getZoom(), duration: 150 });
  }, [id, flow, container]);
}
