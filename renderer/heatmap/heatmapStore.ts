import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

/**
 * The canvas heatmap's view state (not part of the document, never undone): whether nodes are
 * coloured by cost, and by which metric (an id of COST_METRICS; a measured one joins later).
 */
export interface HeatmapState {
  readonly on: boolean;
  readonly metric: string;
  set(patch: Partial<Pick<HeatmapState, 'on' | 'metric'>>): void;
}

export const heatmapStore = createStore<HeatmapState>()((set) => ({
  on: false,
  metric: 'macs',
  set: (patch) => set(patch),
}));

export function useHeatmap<T>(selector: (s: HeatmapState) => T): T {
  return useStore(heatmapStore, selector);
}
