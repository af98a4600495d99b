/** The events a training run streams (see ./training.ts for the lifecycle). */
import { z } from 'zod';
import { BACKEND_NAMES } from './trainConfig.js';

/** Batches between two gradient-norm samples in `batch` events (the first batch has one). */
export const GRADIENT_NORM_EVERY = 10;

// ─── Events ─────────────────────────────────────────────────────────────────────────────────

const runId = z.string().min(1);
const count = z.int().min(0);
/** A finite number: a NaN/Inf loss ends the run with an `error` event (nan-loss) instead. */
const metric = z.number();

/** What the run trains on, as the engine loaded it. */
export const DatasetInfoSchema = z.object({
  /** `digits`, or the folder/file name the user picked. */
  name: z.string(),
  /** Index i is the name of label i (digits: "0"…"9"; image folders: the subfolder names). */
  classNames: z.array(z.string()),
  /** C×H×W of one sample after resizing, as the graph's Input. */
  inputShape: z.array(z.int().min(1)),
  trainSize: count,
  validationSize: count,
  /** Images that could not be decoded and were skipped (image folders only). */
  skipped: count,
});
export type DatasetInfo = z.infer<typeof DatasetInfoSchema>;

export const ClassMetricsSchema = z.object({
  className: z.string(),
  precision: metric,
  recall: metric,
  f1: metric,
  /** Validation samples whose true label is this class. */
  support: count,
});
export type ClassMetrics = z.infer<typeof ClassMetricsSchema>;

export const TrainEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    runId,
    /** The backend actually running (after `auto` and any fallback). */
    backend: z.enum(BACKEND_NAMES),
    /** The GPU a `webgpu` run trains on, e.g. `NVIDIA H200 (nvidia, hopper)`; absent otherwise. */
    device: z.string().max(300).optional(),
    dataset: DatasetInfoSchema,
    epochs: z.int().min(1),
    /** First epoch of this run: 1, or the next epoch of a resumed run. */
    firstEpoch: z.int().min(1),
    batchesPerEpoch: z.int().min(1),
    trainableParams: count,
    /** Folder of this run's checkpoints and metrics. */
    runDir: z.string(),
  }),
  z.object({
    type: z.literal('batch'),
    runId,
    epoch: z.int().min(1),
    batch: z.int().min(1),
    batches: z.int().min(1),
    /** Of this batch alone. */
    loss: metric,
    accuracy: metric,
    /** Smoothed over recent batches. */
    samplesPerSecond: metric,
    /** Seconds until the last epoch ends, at the current speed. */
    etaSeconds: metric,
    lr: metric,
    /**
     * L2 norm of this batch's gradient per node id, on every GRADIENT_NORM_EVERY-th batch and the
     * epoch's last (the gradient-flow sparklines); absent on the others.
     */
    gradientNorms: z.record(z.string(), metric).optional(),
  }),
  z.object({
    type: z.literal('epoch'),
    runId,
    epoch: z.int().min(1),
    epochs: z.int().min(1),
    /** Means over the epoch's batches. */
    trainLoss: metric,
    trainAccuracy: metric,
    valLoss: metric,
    valAccuracy: metric,
    /** Wall time of the epoch, validation included. */
    seconds: metric,
    /** Training samples per second of the epoch's training part (validation excluded). */
    samplesPerSecond: metric,
    /** The learning rate the epoch ran with. */
    lr: metric,
    /** L2 norm of the last batch's gradient per node id (`block1/conv1` inside blocks). */
    gradientNorms: z.record(z.string(), metric),
  }),
  z.object({
    type: z.literal('evaluation'),
    runId,
    epoch: z.int().min(1),
    accuracy: metric,
    classNames: z.array(z.string()),
    /** confusion[true][predicted] = number of validation samples. */
    confusion: z.array(z.array(count)),
    perClass: z.array(ClassMetricsSchema),
  }),
  z.object({ type: z.literal('paused'), runId, epoch: z.int().min(1), batch: count }),
  z.object({ type: z.literal('resumed'), runId }),
  z.object({
    type: z.literal('checkpoint'),
    runId,
    epoch: z.int().min(1),
    /** Folder with model.json + weights.bin (TensorFlow.js format). */
    path: z.string(),
    /** `last` after every epoch; `best` when validation accuracy improved. */
    kind: z.enum(['last', 'best']),
  }),
  z.object({ type: z.literal('warning'), runId, message: z.string() }),
  z.object({
    type: z.literal('finished'),
    runId,
    reason: z.enum(['completed', 'stopped', 'early-stopped']),
    runDir: z.string(),
    /** Null when no epoch completed. */
    bestValAccuracy: metric.nullable(),
    bestEpoch: z.int().min(1).nullable(),
    epochsCompleted: count,
  }),
  z.object({
    type: z.literal('error'),
    runId,
    /**
     * nan-loss: the loss became NaN/Inf (message suggests a lower learning rate);
     * invalid-graph: the graph has errors or cannot be trained (message names node and fix);
     * dataset: the data cannot be read or does not fit the graph's Input;
     * backend: the requested backend cannot load (message says why and what to use);
     * checkpoint: the checkpoint to resume from is missing, torn or edited (message names the
     * file and what does not match);
     * worker-crashed: the training worker died; internal: a bug — please report it;
     * disconnected: the app lost its connection to the host (raised by the client, not the
     * engine): what the run saved is in its folder, its further events cannot arrive.
     */
    code: z.enum([
      'nan-loss',
      'invalid-graph',
      'dataset',
      'backend',
      'checkpoint',
      'worker-crashed',
      'internal',
      'disconnected',
    ]),
    message: z.string(),
  }),
]);
export type TrainEvent = z.infer<typeof TrainEventSchema>;
export type TrainEventType = TrainEvent['type'];
/** The event of one type, e.g. `TrainEventOf<'epoch'>`. */
export type TrainEventOf<T extends TrainEventType> = Extract<TrainEvent, { type: T }>;
export type TrainErrorCode = TrainEventOf<'error'>['code'];

// ─── Prediction ─────────────────────────────────────────────────────────────────────────────

/** An image as decoded pixels, row-major, interleaved channels (1 gray, 3 RGB, 4 RGBA), 0–255. */
export const ImageInputSchema = z
  .object({
    width: z.int().min(1),
    height: z.int().min(1),
    channels: z.union([z.literal(1), z.literal(3), z.literal(4)]),
    data: z.union([z.instanceof(Uint8Array), z.array(z.int().min(0).max(255))]),
  })
  .refine((img) => img.data.length === img.width * img.height * img.channels, {
    message: 'data must hold width·height·channels values',
    path: ['data'],
  });
export type ImageInput = z.infer<typeof ImageInputSchema>;

export const PredictionSchema = z.object({
  /** The class names, index-aligned with `probabilities`. */
  classes: z.array(z.string()),
  probabilities: z.array(z.number()),
  /** Index of the most probable class. */
  top: z.int().min(0),
});
export type Prediction = z.infer<typeof PredictionSchema>;
