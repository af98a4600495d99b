import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

/**
 * The palette item being dragged and the edge under the pointer. A drag's data cannot be read
 * until the drop, so the palette records the type here; the edge under the pointer shows what
 * splicing the layer into it would do (ShapeEdge).
 */
export interface PaletteDragState {
  /** The layer type being dragged from the palette, or null. */
  readonly type: string | null;
  /** React Flow id of the edge the layer would be spliced into on drop, or null. */
  readonly edge: string | null;
  set(patch: Partial<Pick<PaletteDragState, 'type' | 'edge'>>): void;
}

export const paletteDragStore = createStore<PaletteDragState>()((set, get) => ({
  type: null,
  edge: null,
  set(patch) {
    const s = get();
    // dragover fires many times a second: only a real change notifies the edges.
    if (
      (patch.type !== undefined && patch.type !== s.type) ||
      (patch.edge !== undefined && patch.edge !== s.edge)
    )
      set(patch);
  },
}));

export function usePaletteDrag<T>(selector: (s: PaletteDragState) => T): T {
  return useStore(paletteDragStore, selector);
}
