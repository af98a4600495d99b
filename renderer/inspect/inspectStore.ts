import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { PixelImage } from '../../src/api/inspect';

/** The image the feature maps are computed for. */
export type InspectInput =
  | {
      readonly kind: 'sample';
      readonly index: number;
      readonly label: string;
      readonly image: PixelImage;
    }
  | { readonly kind: 'drawing'; readonly image: PixelImage };

export type InspectView = 'maps' | 'filters' | 'mistakes';
export type ColourScale = 'shared' | 'per-channel';

/** A confusion-matrix cell of a run whose misclassified images are shown. */
export interface MistakeCell {
  readonly runId: string;
  readonly trueClass: number;
  readonly predictedClass: number;
}

/** View state of the Inspect tab (never saved, never undone). */
export interface InspectState {
  readonly view: InspectView;
  readonly input: InspectInput | null;
  /** The node whose maps are shown; null follows the canvas selection. */
  readonly node: string | null;
  readonly scale: ColourScale;
  /** Look at the editor's graph untrained even when a trained run exists. */
  readonly untrained: boolean;
  readonly cell: MistakeCell | null;
  /** The last drawing on the pad (28×28 grey), kept across tab switches. */
  readonly drawing: PixelImage | null;
  set(patch: Partial<Omit<InspectState, 'set'>>): void;
}

export const inspectStore = createStore<InspectState>()((set) => ({
  view: 'maps',
  input: null,
  node: null,
  scale: 'shared',
  untrained: false,
  cell: null,
  drawing: null,
  set: (patch) => set(patch),
}));

export function useInspect<T>(selector: (s: InspectState) => T): T {
  return useStore(inspectStore, selector);
}
