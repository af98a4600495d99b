import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { TrainEvent } from '../../src/api/training';
import { getEngine } from '../api/engine';
import {
  EMPTY_HISTORY,
  gradientHealth,
  reduceGradientEvent,
  type GradientHealth,
  type GradientHistory,
  type GradientSeries,
} from '../training/gradientHistory';
import { trainingStore } from '../training/trainingStore';

/** Shortest time between two repaints of the sparklines: a burst of events is one update. */
export const GRADIENT_FLUSH_MS = 500;

export interface GradientState {
  readonly history: GradientHistory;
}

/** The gradient-flow history the canvas nodes draw; fed from the engine's train events. */
export const gradientStore = createStore<GradientState>()(() => ({ history: EMPTY_HISTORY }));

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

let subscribed = false;

/**
 * Listens to the engine's train events from the moment a run is being started (the training
 * store turns to "starting" before it sends the request, so the `started` event is not missed).
 */
function followRuns(): void {
  trainingStore.subscribe((s) => {
    if (subscribed || s.run.status === 'idle') return;
    subscribed = true;
    getEngine().training.onEvent(createGradientFeed(gradientStore));
  });
}
followRuns();

/** The series of one canvas node, or undefined when it has none (the selector is per node). */
export function useGradientSeries(id: string): GradientSeries | undefined {
  return useStore(gradientStore, (s) => s.history.series.get(id));
}

/** One node's health (a string, so the node re-renders only when it changes). */
export function useGradientHealth(id: string): GradientHealth {
  return useStore(gradientStore, (s) => {
    const series = s.history.series.get(id);
    return series === undefined ? 'ok' : gradientHealth(series, s.history.largestLatest);
  });
}
