import type { DatasetInfo, TrainEvent, TrainEventOf } from '../../src/api/training';

export type RunStatus = 'idle' | 'starting' | 'running' | 'paused' | 'finished' | 'error';

export interface BatchPoint {
  /** Batches since the run began (x axis of the per-batch curve). */
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number;
}

export interface EpochPoint {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly valLoss: number;
  readonly trainAccuracy: number;
  readonly valAccuracy: number;
}

/** Everything the training panel shows about the current run, built from its events. */
export interface RunState {
  readonly status: RunStatus;
  readonly runId: string | null;
  readonly backend: string | null;
  /** The GPU of a `webgpu` run, in words. */
  readonly device: string | null;
  readonly dataset: DatasetInfo | null;
  readonly epochs: number;
  readonly firstEpoch: number;
  readonly batchesPerEpoch: number;
  readonly epoch: number;
  readonly batch: number;
  readonly samplesPerSecond: number | null;
  readonly etaSeconds: number | null;
  readonly batches: readonly BatchPoint[];
  readonly epochPoints: readonly EpochPoint[];
  readonly evaluation: TrainEventOf<'evaluation'> | null;
  readonly finished: TrainEventOf<'finished'> | null;
  readonly message: string | null;
}

export const IDLE_RUN: RunState = {
  status: 'idle',
  runId: null,
  backend: null,
  device: null,
  dataset: null,
  epochs: 0,
  firstEpoch: 1,
  batchesPerEpoch: 0,
  epoch: 0,
  batch: 0,
  samplesPerSecond: null,
  etaSeconds: null,
  batches: [],
  epochPoints: [],
  evaluation: null,
  finished: null,
  message: null,
};

/** Keeps the per-batch curve cheap to draw on long runs: at most this many points. */
export const MAX_BATCH_POINTS = 2000;

/** Folds one event of the current run into the state; other runs' events are ignored. */
export function reduceTrainEvent(state: RunState, event: TrainEvent): RunState {
  if (state.runId !== null && event.runId !== state.runId) return state;
  switch (event.type) {
    case 'started':
      return {
        ...IDLE_RUN,
        status: 'running',
        runId: event.runId,
        backend: event.backend,
        device: event.device ?? null,
        dataset: event.dataset,
        epochs: event.epochs,
        firstEpoch: event.firstEpoch,
        batchesPerEpoch: event.batchesPerEpoch,
        epoch: event.firstEpoch,
      };
    case 'batch': {
      const step = (event.epoch - 1) * event.batches + event.batch;
      const point = { step, loss: event.loss, accuracy: event.accuracy };
      const batches =
        state.batches.length >= MAX_BATCH_POINTS
          ? [...state.batches.filter((_, i) => i % 2 === 0), point]
          : [...state.batches, point];
      return {
        ...state,
        epoch: event.epoch,
        batch: event.batch,
        batchesPerEpoch: event.batches,
        samplesPerSecond: event.samplesPerSecond,
        etaSeconds: event.etaSeconds,
        batches,
      };
    }
    case 'epoch':
      return {
        ...state,
        epochPoints: [
          ...state.epochPoints,
          {
            epoch: event.epoch,
            trainLoss: event.trainLoss,
            valLoss: event.valLoss,
            trainAccuracy: event.trainAccuracy,
            valAccuracy: event.valAccuracy,
          },
        ],
      };
    case 'evaluation':
      return { ...state, evaluation: event };
    case 'paused':
      return { ...state, status: 'paused' };
    case 'resumed':
      return { ...state, status: 'running' };
    case 'warning':
      return { ...state, message: event.message };
    case 'checkpoint':
      return state;
    case 'finished':
      return { ...state, status: 'finished', finished: event, etaSeconds: 0 };
    case 'error':
      return { ...state, status: 'error', message: event.message };
  }
}

/** Share of the run done, 0–1, for the progress bar. */
export function runProgress(s: RunState): number {
  if (s.status === 'finished') return 1;
  if (s.epochs === 0 || s.batchesPerEpoch === 0) return 0;
  const done = (s.epoch - s.firstEpoch) * s.batchesPerEpoch + s.batch;
  return Math.min(1, done / (s.epochs * s.batchesPerEpoch));
}

/** `1:05` / `12 s`: a compact ETA. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}:${String(s % 60).padStart(2, '0')}`
    : `${Math.floor(m / 60)} h ${m % 60} min`;
}
