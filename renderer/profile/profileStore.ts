import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { GraphDocument } from '../../src/core/graph/document';
import type { LayerProfile } from '../../src/core/profile/layerProfile';
import { getEngine } from '../api/engine';
import { editorStore } from '../store/useEditor';
import { trainingStore } from '../training/trainingStore';

/**
 * The Profile action's state: the last measured profile and the graph it measured (a later edit
 * makes it stale, said beside it), or the reason it failed. Runs in the host's engine (a worker
 * thread there), never on the page's thread; the engine bounds it with a time limit.
 */
export interface ProfileState {
  readonly status: 'idle' | 'running' | 'done' | 'error';
  readonly profile: LayerProfile | null;
  readonly graph: GraphDocument | null;
  readonly error: string | null;
  /** Open or folded results panel. */
  readonly open: boolean;
  run(): Promise<void>;
  setOpen(open: boolean): void;
}

export const profileStore = createStore<ProfileState>()((set, get) => ({
  status: 'idle',
  profile: null,
  graph: null,
  error: null,
  open: true,
  async run() {
    if (get().status === 'running') return;
    const graph = editorStore.getState().doc;
    const { batchSize, backend } = trainingStore.getState().form;
    set({ status: 'running', error: null, open: true });
    try {
      const profile = await getEngine().profile.run({ graph, batchSize, backend });
      set({ status: 'done', profile, graph });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // The host prefixes the method's name; the user asked for a profile, not a method.
      set({ status: 'error', error: message.replace(/^profile\.run: /, '') });
    }
  },
  setOpen: (open) => set({ open }),
}));

export function useProfile<T>(selector: (s: ProfileState) => T): T {
  return useStore(profileStore, selector);
}
