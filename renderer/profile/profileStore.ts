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
  /** Stops the running profile: its thread in the host ends; the last finished profile stays. */
  stop(): Promise<void>;
  setOpen(open: boolean): void;
}

// Which run() is current: a stopped one's late rejection must not overwrite what came after.
let current = 0;

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
    const mine = ++current;
    try {
      const profile = await getEngine().profile.run({ graph, batchSize, backend });
      if (mine === current) set({ status: 'done', profile, graph });
    } catch (error) {
      if (mine !== current) return;
      const message = error instanceof Error ? error.message : String(error);
      // The host prefixes the method's name; the user asked for a profile, not a method.
      set({ status: 'error', error: message.replace(/^profile\.run: /, '') });
    }
  },
  async stop() {
    if (get().status !== 'running') return;
    current++;
    // Back to what was shown before this run (the last profile, or nothing).
    set({ status: get().profile === null ? 'idle' : 'done' });
    await getEngine().profile.stop();
  },
  setOpen: (open) => set({ open }),
}));

export function useProfile<T>(selector: (s: ProfileState) => T): T {
  return useStore(profileStore, selector);
}
