import { useStore } from 'zustand';
import { createEditorStore, type EditorStore } from './editorStore';

/** The app's one editor store (tests create their own with createEditorStore). */
export const editorStore = createEditorStore();

/** Subscribes a component to a narrow slice of the editor state. */
export function useEditor<T>(selector: (s: EditorStore) => T): T {
  return useStore(editorStore, selector);
}
