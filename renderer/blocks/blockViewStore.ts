import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { editorStore } from '../store/useEditor';

/**
 * Blocks opened in place (ResidualBlock, Bottleneck): which ones show their inner layers on the
 * canvas, and the inner layer the Inspector shows (its numbers, receptive field and Explain).
 * View state only: never saved, never undone. Selecting anything but the focused layer's block
 * lets go of the focus.
 */
export interface BlockViewState {
  /** Ids of the blocks shown open on the canvas. */
  readonly expanded: ReadonlySet<string>;
  /** Full id of the inner layer shown in the Inspector (`layer1_0/conv1`), or null. */
  readonly focused: string | null;
  toggle(block: string): void;
  /** Shows `inner` (a full id) in the Inspector, selecting its block; null: the block itself. */
  focus(inner: string | null): void;
}

/** The block an inner id belongs to: `layer1_0/conv1` → `layer1_0`. */
export function blockOf(inner: string): string {
  const slash = inner.indexOf('/');
  return slash < 0 ? inner : inner.slice(0, slash);
}

export const blockViewStore = createStore<BlockViewState>()((set, get) => ({
  expanded: new Set(),
  focused: null,
  toggle(block) {
    const expanded = new Set(get().expanded);
    if (!expanded.delete(block)) expanded.add(block);
    set({ expanded });
  },
  focus(inner) {
    if (inner !== null) {
      const block = blockOf(inner);
      const editor = editorStore.getState();
      if (editor.selection.length !== 1 || editor.selection[0] !== block) editor.select([block]);
    }
    set({ focused: inner });
  },
}));

// Another selection (or none) ends the focus on an inner layer.
editorStore.subscribe((s, before) => {
  if (s.selection === before.selection) return;
  const { focused } = blockViewStore.getState();
  if (focused === null) return;
  if (s.selection.length !== 1 || s.selection[0] !== blockOf(focused))
    blockViewStore.setState({ focused: null });
});

export function useBlockView<T>(selector: (s: BlockViewState) => T): T {
  return useStore(blockViewStore, selector);
}
