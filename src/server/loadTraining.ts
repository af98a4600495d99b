import type { EngineEvent } from '../api/EngineApi.js';
import type { TrainingApi } from '../api/training.js';

export interface LoadedTraining {
  readonly api: TrainingApi;
  readonly subscribe: (push: (channel: EngineEvent, payload: unknown) => void) => () => void;
  readonly dispose: () => Promise<void>;
}

/**
 * The training engine for this host (each run in its own worker thread), or undefined with the
 * reason printed when it cannot be loaded: the app then says training is unavailable instead
 * of failing to start.
 */
export async function loadTraining(): Promise<LoadedTraining | undefined> {
  try {
    // Loaded lazily: TensorFlow.js takes a moment to import and the editor needs none of it.
    const { TrainingService } = await import('../engine/service/TrainingService.js');
    const service = new TrainingService();
    return {
      api: service,
      subscribe: (push) => service.onEvent((event) => push('train.event', event)),
      dispose: () => service.dispose(),
    };
  } catch (error) {
    console.warn(
      `Training is unavailable: the engine could not be loaded (${error instanceof Error ? error.message : String(error)}).`,
    );
    return undefined;
  }
}

/**
 * The engine loaded once, on first use or when `warm()` is called after launch, and its events
 * forwarded to the host's windows as soon as it is there.
 */
export function lazyTraining(): {
  get: () => Promise<LoadedTraining | undefined>;
  api: () => Promise<TrainingApi | undefined>;
  /** False once loading failed; true before (optimistic) and after it succeeded. */
  available: () => boolean;
  subscribe: (push: (channel: EngineEvent, payload: unknown) => void) => () => void;
  dispose: () => Promise<void>;
} {
  let loading: Promise<LoadedTraining | undefined> | undefined;
  let failed = false;
  const get = () =>
    (loading ??= loadTraining().then((t) => {
      failed = t === undefined;
      return t;
    }));
  return {
    get,
    available: () => !failed,
    api: async () => (await get())?.api,
    subscribe(push) {
      let off: (() => void) | undefined;
      let closed = false;
      void get().then((t) => {
        if (t && !closed) off = t.subscribe(push);
      });
      return () => {
        closed = true;
        off?.();
      };
    },
    dispose: async () => {
      if (loading) await (await loading)?.dispose();
    },
  };
}
