import { useStore } from 'zustand';
import { emptyGraph } from '../../src/core/graph/document';
import { layoutInWorker, measuredNodeSizes, warmUpLayout } from '../flow/layoutInWorker';
import { createEditorStore, type EditorStore } from './editorStore';

// The layout runs in a Web Worker; where there is none (the unit tests, in Node) the store has no
// layout engine, and documents without positions open with their nodes stacked.
const hasWorkers = typeof Worker === 'function';

/** The app's one editor store (tests create their own with createEditorStore). */
export const editorStore = createEditorStore(emptyGraph(), {
  ...(hasWorkers && { layoutEngine: layoutInWorker }),
  nodeSize: (id) => measuredNodeSizes.get(id),
});

// Start ELK's worker now, so the first template opened is not kept waiting for it.
if (hasWorkers) warmUpLayout();

/** Subscribes a component to a narrow slice of the editor state. */
export function useEditor<T>(selector: (s: EditorStore) => T): T {
  return useStore(editorStore, selector);
}
