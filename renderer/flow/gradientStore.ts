import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { TrainEvent } from '../../src/api/training';
import type { GraphDocument } from '../../src/core/graph/document';
import { graphKey } from '../store/graphKey';
import { editorStore } from '../store/useEditor';
import {
  EMPTY_HISTORY,
  gradientHealth,
  reduceGradientEvent,
  type GradientHealth,
  type GradientHistory,
  type GradientSeries,
} from '../training/gradientHistory';
import { onOwnTrainEvent, trainingStore } from '../training/trainingStore';

/** Shortest time between two repaints of the sparklines: a burst of events is one update. */
export const GRADIENT_FLUSH_MS = 500;

export interface GradientState {
  readonly history: GradientHistory;
  /** The editor shows the graph the run trained: only then are the sparklines drawn. */
  readonly visible: boolean;
}

/** The gradient-flow history the canvas nodes draw; fed from the engine's train events. */
export const gradientStore = createStore<GradientState>()(() => ({
  history: EMPTY_HISTORY,
  visible: false,
}));

/**
 * Folds events into a pending history and publishes it at most every `flushMs`, so the nodes
 * re-render a few times a second however fast batches arrive. A run's start and end publish
 * at once (the old sparklines clear, the last point shows).
 */
export function createGradientFeed(
  store: typeof gradientStore,
  flushMs = GRADIENT_FLUSH_MS,
): (event: TrainEvent) => void {
  let pending: GradientHistory | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    if (pending !== null && pending !== store.getState().history)
      store.setState({ history: pending });
    pending = null;
  };
  return (event) => {
    const next = reduceGradientEvent(pending ?? store.getState().history, event);
    pending = next;
    if (event.type === 'started' || event.type === 'finished' || event.type === 'error') {
      if (timer !== null) clearTimeout(timer);
      flush();
    } else if (timer === null) {
      timer = setTimeout(flush, flushMs);
    }
  };
}

// The editor panel's own runs only: Train all in the compare view streams on the same channel.
onOwnTrainEvent(createGradientFeed(gradientStore));

/**
 * Whether the editor shows the graph the run trained (layout aside). Another file, or an edit
 * after training, hides the sparklines: they describe a network that is no longer on screen.
 * Computed once per change here, so the nodes select a boolean, not the document.
 */
function followEditedGraph(): void {
  let runKey: string | null = null;
  let keyOf: GraphDocument | null = null;
  const update = () => {
    const runGraph = trainingStore.getState().runGraph;
    const doc = editorStore.getState().doc;
    if (runGraph !== keyOf) {
      keyOf = runGraph;
      runKey = runGraph ? graphKey(runGraph) : null;
    }
    const visible = runKey !== null && (runGraph === doc || graphKey(doc) === runKey);
    if (visible !== gradientStore.getState().visible) gradientStore.setState({ visible });
  };
  trainingStore.subscribe((s, prev) => {
    if (s.runGraph !== prev.runGraph) update();
  });
  editorStore.subscribe((s, prev) => {
    if (s.doc !== prev.doc && trainingStore.getState().runGraph !== null) update();
  });
}
followEditedGraph();

/** The series of one canvas node, or undefined when it has none (the selector is per node). */
export function useGradientSeries(id: string): GradientSeries | undefined {
  return useStore(gradientStore, (s) => (s.visible ? s.history.series.get(id) : undefined));
}

/** One node's health (a string, so the node re-renders only when it changes). */
export function useGradientHealth(id: string): GradientHealth {
  return useStore(gradientStore, (s) => {
    const series = s.history.series.get(id);
    return series === undefined ? 'ok' : gradientHealth(series, s.history.largestLatest);
  });
}
