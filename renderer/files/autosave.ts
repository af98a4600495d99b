import type { StoreApi } from 'zustand/vanilla';
import { isDirty, type EditorStore } from '../store/editorStore';
import { readSession, writeSession } from './session';

const DELAY_MS = 300;

/**
 * Restores the last session (a crash or a closed tab loses nothing), then writes the session
 * shortly after every change.
 */
export function startAutosave(
  store: StoreApi<EditorStore>,
  storage: Storage = localStorage,
): () => void {
  const session = readSession(storage);
  if (session && (session.doc.nodes.length > 0 || session.past.length > 0)) {
    store.getState().restoreSession({
      doc: session.doc,
      file: { name: session.fileName, path: session.filePath },
      dirty: session.dirty,
      past: session.past,
    });
    if (session.dirty) {
      const when = new Date(session.savedAt).toLocaleTimeString();
      store
        .getState()
        .notify(
          'info',
          `Recovered your unsaved changes to ${session.fileName} (autosaved ${when}).`,
        );
    }
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    timer = undefined;
    const s = store.getState();
    writeSession(storage, {
      doc: s.doc,
      fileName: s.file.name,
      filePath: s.file.path,
      dirty: isDirty(s),
      savedAt: Date.now(),
      past: s.history.past.map((p) => p.doc),
    });
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.doc === prev.doc && s.file === prev.file) return;
    if (timer === undefined) timer = setTimeout(flush, DELAY_MS);
  });
  const onHide = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      flush();
    }
  };
  window.addEventListener('pagehide', onHide);
  return () => {
    unsubscribe();
    window.removeEventListener('pagehide', onHide);
  };
}
