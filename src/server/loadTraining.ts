import type { EngineEvent } from '../api/EngineApi.js';
import type { TrainingApi } from '../api/training.js';

export interface LoadedTraining {
  readonly api: TrainingApi;
  readonly subscribe: (push: (channel: EngineEvent, payload: unknown) => void) => () => void;
}

/**
 * The training engine for this host, or undefined when it cannot be loaded; the app then says
 * training is unavailable instead of failing to start.
 */
export async function loadTraining(): Promise<LoadedTraining | undefined> {
  return undefined;
}
