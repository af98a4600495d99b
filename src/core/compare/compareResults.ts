/** The shared training settings of a comparison and the saved results of each variant. */
import { describe } from '../params/resolveParams.js';
import { isFiniteNumber, isObject, kind } from './jsonChecks.js';

export const COMPARE_OPTIMIZERS = ['adam', 'sgd', 'adamw', 'rmsprop', 'adagrad'] as const;
export type CompareOptimizer = (typeof COMPARE_OPTIMIZERS)[number];

/** What every variant trains with: one data split, one seed, one set of hyperparameters. */
export interface CompareTraining {
  /** The built-in digits (1×28×28, 10 classes, fixed 8,000 / 2,000 split): every lesson runs offline. */
  readonly dataset: 'digits';
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: CompareOptimizer;
  readonly lr: number;
  readonly seed: number;
  /** Train on at most this many samples (null = all): small values make over-fitting visible. */
  readonly maxTrainSamples: number | null;
  /** L2 / decoupled weight decay for every variant unless a variant sets its own. */
  readonly weightDecay: number;
}

export const DEFAULT_TRAINING: CompareTraining = {
  dataset: 'digits',
  epochs: 3,
  batchSize: 64,
  optimizer: 'adam',
  lr: 0.001,
  seed: 42,
  maxTrainSamples: 2000,
  weightDecay: 0,
};

/** One epoch's metrics as the engine's `epoch` event reported them. */
export interface EpochResult {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy: number;
  readonly valLoss: number;
  readonly valAccuracy: number;
  /** L2 norm of the epoch's last batch gradient per node id (vanishing gradients show here). */
  readonly gradientNorms: Readonly<Record<string, number>>;
}

export type VariantOutcome = 'completed' | 'stopped' | 'error';

/** One training batch on the overlaid curves: x is the fractional epoch (1.5 = half of epoch 2). */
export interface TrainStep {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
}

/** Saved files stay small: a result keeps at most this many batch points (evenly thinned). */
export const MAX_TRAIN_STEPS = 240;

/** What "Train all" left for one variant. */
export interface VariantResult {
  readonly outcome: VariantOutcome;
  readonly epochs: readonly EpochResult[];
  /** Per-batch training loss and accuracy (thinned to MAX_TRAIN_STEPS), for the solid curves. */
  readonly trainSteps: readonly TrainStep[];
  /** The last validation pass: overall accuracy and confusion[true][predicted]; null if none ran. */
  readonly evaluation: {
    readonly epoch: number;
    readonly accuracy: number;
    readonly confusion: readonly (readonly number[])[];
  } | null;
  /** Why training failed or was refused (`error`), e.g. the graph's first problem. */
  readonly message?: string;
}

type Read<T> = { ok: true; value: T } | { ok: false; error: string };

/** Reads `training`; missing fields take DEFAULT_TRAINING's values, wrong ones are named. */
export function readTraining(raw: unknown): Read<CompareTraining> {
  if (raw === undefined) return { ok: true, value: DEFAULT_TRAINING };
  if (!isObject(raw)) return { ok: false, error: `"training" must be an object, got ${kind(raw)}` };
  const t = { ...DEFAULT_TRAINING, ...raw } as Record<string, unknown>;
  const bad = (field: string, expected: string): Read<CompareTraining> => ({
    ok: false,
    error: `training.${field} must be ${expected}, got ${describe(t[field])}`,
  });
  if (t.dataset !== 'digits') return bad('dataset', '"digits" (the built-in digits)');
  const int = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;
  if (!int(t.epochs, 1) || (t.epochs as number) > 1000) return bad('epochs', 'an integer 1–1000');
  if (!int(t.batchSize, 1)) return bad('batchSize', 'an integer ≥ 1');
  if (!COMPARE_OPTIMIZERS.includes(t.optimizer as CompareOptimizer))
    return bad('optimizer', `one of ${COMPARE_OPTIMIZERS.join(', ')}`);
  if (!isFiniteNumber(t.lr) || t.lr <= 0) return bad('lr', 'a number > 0');
  if (!int(t.seed, 0) || (t.seed as number) > 2 ** 31 - 1)
    return bad('seed', 'an integer 0–2147483647');
  if (t.maxTrainSamples !== null && !int(t.maxTrainSamples, 1))
    return bad('maxTrainSamples', 'an integer ≥ 1 or null');
  if (!isFiniteNumber(t.weightDecay) || t.weightDecay < 0)
    return bad('weightDecay', 'a number ≥ 0');
  return {
    ok: true,
    value: {
      dataset: 'digits',
      epochs: t.epochs as number,
      batchSize: t.batchSize as number,
      optimizer: t.optimizer as CompareOptimizer,
      lr: t.lr,
      seed: t.seed as number,
      maxTrainSamples: t.maxTrainSamples as number | null,
      weightDecay: t.weightDecay,
    },
  };
}

const EPOCH_METRICS = ['trainLoss', 'trainAccuracy', 'valLoss', 'valAccuracy'] as const;

/** Reads a saved result; an error is a path suffix for the caller (`.epochs[1].valLoss …`). */
export function readVariantResult(raw: unknown): Read<VariantResult> {
  const fail = (error: string): Read<VariantResult> => ({ ok: false, error });
  if (!isObject(raw)) return fail(` must be an object, got ${kind(raw)}`);
  if (!['completed', 'stopped', 'error'].includes(raw.outcome as string))
    return fail(`.outcome must be "completed", "stopped" or "error", got ${describe(raw.outcome)}`);
  if (!Array.isArray(raw.epochs)) return fail(`.epochs must be a list, got ${kind(raw.epochs)}`);
  const epochs: EpochResult[] = [];
  for (const [i, e] of raw.epochs.entries()) {
    if (!isObject(e)) return fail(`.epochs[${i}] must be an object, got ${kind(e)}`);
    if (!Number.isInteger(e.epoch) || (e.epoch as number) < 1)
      return fail(`.epochs[${i}].epoch must be an integer ≥ 1, got ${describe(e.epoch)}`);
    for (const m of EPOCH_METRICS)
      if (!isFiniteNumber(e[m]))
        return fail(`.epochs[${i}].${m} must be a number, got ${describe(e[m])}`);
    const norms = e.gradientNorms ?? {};
    if (!isObject(norms) || !Object.values(norms).every(isFiniteNumber))
      return fail(`.epochs[${i}].gradientNorms must map node ids to numbers`);
    epochs.push({
      epoch: e.epoch as number,
      trainLoss: e.trainLoss as number,
      trainAccuracy: e.trainAccuracy as number,
      valLoss: e.valLoss as number,
      valAccuracy: e.valAccuracy as number,
      gradientNorms: norms as Record<string, number>,
    });
  }
  const steps = raw.trainSteps ?? [];
  if (!Array.isArray(steps)) return fail(`.trainSteps must be a list, got ${kind(steps)}`);
  for (const [i, st] of steps.entries()) {
    const ok =
      isObject(st) &&
      isFiniteNumber(st.epoch) &&
      isFiniteNumber(st.loss) &&
      isFiniteNumber(st.accuracy);
    if (!ok)
      return fail(
        `.trainSteps[${i}] must be { epoch, loss, accuracy } numbers, got ${describe(st)}`,
      );
  }
  const ev = raw.evaluation ?? null;
  if (ev !== null) {
    if (!isObject(ev) || !Number.isInteger(ev.epoch) || !isFiniteNumber(ev.accuracy))
      return fail('.evaluation must be null or { epoch, accuracy, confusion }');
    const ok =
      Array.isArray(ev.confusion) &&
      ev.confusion.every((row) => Array.isArray(row) && row.every((n) => Number.isInteger(n)));
    if (!ok) return fail('.evaluation.confusion must be a list of rows of counts');
  }
  if (raw.message !== undefined && typeof raw.message !== 'string')
    return fail(`.message must be a string, got ${describe(raw.message)}`);
  return {
    ok: true,
    value: {
      outcome: raw.outcome as VariantOutcome,
      epochs,
      trainSteps: steps as TrainStep[],
      evaluation:
        ev === null
          ? null
          : {
              epoch: ev.epoch as number,
              accuracy: ev.accuracy as number,
              confusion: ev.confusion as number[][],
            },
      ...(raw.message !== undefined ? { message: raw.message as string } : {}),
    },
  };
}

/** Best and final validation accuracy of a result (null when no epoch finished). */
export function validationAccuracy(
  result: VariantResult | undefined,
): { best: number; final: number } | null {
  const epochs = result?.epochs ?? [];
  const last = epochs.at(-1);
  if (last === undefined) return null;
  return { best: Math.max(...epochs.map((e) => e.valAccuracy)), final: last.valAccuracy };
}
