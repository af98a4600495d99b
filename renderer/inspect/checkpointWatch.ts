import { useEffect } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { getEngine } from '../api/engine';

/** Checkpoints written so far per run id: a new one means new trained weights to show. */
const checkpoints = createStore<{ readonly counts: Readonly<Record<string, number>> }>()(() => ({
  counts: {},
}));

let watching = false;

/** Starts counting checkpoint events (once per app; the views call it when they mount). */
export function useCheckpointWatch(): void {
  useEffect(() => {
    if (watching) return;
    watching = true;
    getEngine().training.onEvent((event) => {
      if (event.type !== 'checkpoint') return;
      const { counts } = checkpoints.getState();
      checkpoints.setState({
        counts: { ...counts, [event.runId]: (counts[event.runId] ?? 0) + 1 },
      });
    });
  }, []);
}

export function useCheckpointCount(runId: string | null): number {
  return useStore(checkpoints, (s) => (runId === null ? 0 : (s.counts[runId] ?? 0)));
}
