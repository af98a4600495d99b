import type { TrainConfigInput, TrainEvent } from '../../src/api/training';
import {
  MAX_TRAIN_STEPS,
  type CompareTraining,
  type TrainStep,
  type VariantResult,
} from '../../src/core/compare/compareDocument';

/** Where one variant is in "Train all". */
export type VariantStatus =
  'idle' | 'waiting' | 'starting' | 'running' | 'completed' | 'stopped' | 'error' | 'skipped';

/** The live view of one variant's run, built from its events; `result` is what gets saved. */
export interface VariantRun {
  readonly status: VariantStatus;
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batchesPerEpoch: number;
  readonly backend: string | null;
  readonly result: VariantResult;
}

export const EMPTY_RESULT: VariantResult = {
  outcome: 'completed',
  epochs: [],
  trainSteps: [],
  evaluation: null,
};

export function waitingRun(status: VariantStatus = 'waiting'): VariantRun {
  return {
    status,
    epoch: 0,
    epochs: 0,
    batch: 0,
    batchesPerEpoch: 0,
    backend: null,
    result: EMPTY_RESULT,
  };
}

/** The engine config every variant gets: same seed, split and hyperparameters (weight decay may differ). */
export function trainConfigFor(
  training: CompareTraining,
  variantWeightDecay: number | undefined,
): TrainConfigInput {
  return {
    dataset: { kind: 'digits' },
    epochs: training.epochs,
    batchSize: training.batchSize,
    optimizer: {
      name: training.optimizer,
      lr: training.lr,
      weightDecay: variantWeightDecay ?? training.weightDecay,
    },
    seed: training.seed,
    maxTrainSamples: training.maxTrainSamples,
    backend: 'auto',
  };
}

/** Folds one event of this variant's run into its state (the caller routes events by run id). */
export function foldVariantEvent(run: VariantRun, event: TrainEvent): VariantRun {
  const r = run.result;
  switch (event.type) {
    case 'started':
      return {
        ...run,
        status: 'running',
        backend: event.backend,
        epochs: event.epochs,
        epoch: event.firstEpoch,
        batchesPerEpoch: event.batchesPerEpoch,
      };
    case 'batch': {
      const step = {
        epoch: event.epoch - 1 + event.batch / event.batches,
        loss: event.loss,
        accuracy: event.accuracy,
      };
      return {
        ...run,
        epoch: event.epoch,
        batch: event.batch,
        batchesPerEpoch: event.batches,
        result: { ...r, trainSteps: appendStep(r.trainSteps, step) },
      };
    }
    case 'epoch': {
      const { epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, gradientNorms } = event;
      const point = { epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, gradientNorms };
      return { ...run, result: { ...r, epochs: [...r.epochs, point] } };
    }
    case 'evaluation':
      return {
        ...run,
        result: {
          ...r,
          evaluation: { epoch: event.epoch, accuracy: event.accuracy, confusion: event.confusion },
        },
      };
    case 'finished': {
      const outcome = event.reason === 'stopped' ? 'stopped' : 'completed';
      return { ...run, status: outcome, result: { ...r, outcome } };
    }
    case 'error':
      return {
        ...run,
        status: 'error',
        result: { ...r, outcome: 'error', message: `${event.code}: ${event.message}` },
      };
    case 'warning':
      // Before its start, the engine's only warning is that the run waits its turn.
      return run.status === 'starting' ? { ...run, status: 'waiting' } : run;
    case 'paused':
    case 'resumed':
    case 'checkpoint':
      return run;
  }
}

/** Keeps at most MAX_TRAIN_STEPS points by dropping every other one when full (as the panel does). */
export function appendStep(steps: readonly TrainStep[], step: TrainStep): TrainStep[] {
  const kept = steps.length >= MAX_TRAIN_STEPS ? steps.filter((_, i) => i % 2 === 1) : steps;
  return [...kept, step];
}

/** Share of this variant's run done, 0–1. */
export function variantProgress(run: VariantRun): number {
  if (run.status === 'completed') return 1;
  if (run.epochs === 0 || run.batchesPerEpoch === 0) return 0;
  return Math.min(
    1,
    ((run.epoch - 1) * run.batchesPerEpoch + run.batch) / (run.epochs * run.batchesPerEpoch),
  );
}

/** Whether a run has ended (its state is final). */
export function isFinal(status: VariantStatus): boolean {
  return (
    status === 'completed' || status === 'stopped' || status === 'error' || status === 'skipped'
  );
}
