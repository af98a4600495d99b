import { editorStore } from '../store/useEditor';
import { uiStore } from '../store/uiStore';
import { compareStore } from './compareStore';

/**
 * The toolbar's Compare: a new comparison with the editor's graph as its first column, or back
 * to the comparison already open (its "Add the editor's graph" adds more).
 */
export function openCompareView(): void {
  if (compareStore.getState().doc.variants.length === 0) {
    const { doc, file } = editorStore.getState();
    compareStore.getState().startFrom(doc, doc.name ?? file.name.replace(/\.nnb\.json$/, ''));
  }
  uiStore.getState().set({ view: 'compare' });
}
