/** The training run's configuration: schemas with PyTorch's defaults (see ./training.ts). */
import { z } from 'zod';

// ─── Configuration ──────────────────────────────────────────────────────────────────────────

/** Where the samples come from. Every path is a local path on the machine running the engine. */
export const DatasetSchema = z.discriminatedUnion('kind', [
  /** Built in, offline: 10,000 real MNIST digits, 1×28×28, fixed 8,000 / 2,000 train/val split. */
  z.object({ kind: z.literal('digits') }),
  /**
   * MNIST / Fashion-MNIST IDX files: a folder holding `train-images-idx3-ubyte` and
   * `train-labels-idx1-ubyte` (optionally `.gz`), and optionally `t10k-*` files used as the
   * validation set; without them `validationFraction` of the training files is held out.
   */
  z.object({ kind: z.literal('idx'), path: z.string().min(1) }),
  /**
   * A folder with one subfolder per class (the subfolder name is the class name) of PNG/JPEG
   * images, resized to the graph's Input; unreadable images are skipped and counted.
   */
  z.object({ kind: z.literal('image-folder'), path: z.string().min(1) }),
  /** CIFAR-10 binary version: a folder with `data_batch_1.bin`…`data_batch_5.bin` and `test_batch.bin`. */
  z.object({ kind: z.literal('cifar10'), path: z.string().min(1) }),
]);
export type Dataset = z.infer<typeof DatasetSchema>;

const lr = z.number().positive().finite();
const weightDecay = z.number().min(0).finite();
const epsilon = z.number().positive().finite();
const beta = z.number().min(0).lt(1);

/**
 * The optimizer, with PyTorch's names, defaults and semantics (torch.optim). `weightDecay` is L2
 * added to the gradient (coupled) for every optimizer except AdamW, where it is decoupled:
 * w ← w − lr·weightDecay·w, as torch.optim.AdamW.
 */
export const OptimizerSchema = z.discriminatedUnion('name', [
  z.object({
    name: z.literal('sgd'),
    lr: lr.default(0.01),
    momentum: z.number().min(0).finite().default(0),
    /** Nesterov momentum; needs momentum > 0. */
    nesterov: z.boolean().default(false),
    weightDecay: weightDecay.default(0),
  }),
  z.object({
    name: z.literal('adam'),
    lr: lr.default(0.001),
    beta1: beta.default(0.9),
    beta2: beta.default(0.999),
    epsilon: epsilon.default(1e-8),
    weightDecay: weightDecay.default(0),
  }),
  z.object({
    name: z.literal('adamw'),
    lr: lr.default(0.001),
    beta1: beta.default(0.9),
    beta2: beta.default(0.999),
    epsilon: epsilon.default(1e-8),
    weightDecay: weightDecay.default(0.01),
  }),
  z.object({
    name: z.literal('rmsprop'),
    lr: lr.default(0.01),
    /** Smoothing constant of the squared-gradient average. */
    alpha: beta.default(0.99),
    momentum: z.number().min(0).finite().default(0),
    epsilon: epsilon.default(1e-8),
    weightDecay: weightDecay.default(0),
  }),
  z.object({
    name: z.literal('adagrad'),
    lr: lr.default(0.01),
    epsilon: epsilon.default(1e-10),
    weightDecay: weightDecay.default(0),
  }),
]);
export type Optimizer = z.infer<typeof OptimizerSchema>;
export type OptimizerName = Optimizer['name'];
export const OPTIMIZER_NAMES = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'] as const;

/** A complete optimizer config with PyTorch's defaults, e.g. when the user switches optimizer. */
export function defaultOptimizer(name: OptimizerName): Optimizer {
  return OptimizerSchema.parse({ name });
}

/** Learning-rate schedule, stepped once per epoch as torch.optim.lr_scheduler. */
export const ScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** StepLR: lr · gamma^⌊(epoch−1)/stepSize⌋. */
  z.object({
    kind: z.literal('step'),
    stepSize: z.int().min(1).default(10),
    gamma: z.number().positive().finite().default(0.1),
  }),
  /** CosineAnnealingLR: minLr + (lr − minLr)·(1 + cos(π·(epoch−1)/T))/2, T = the run's epochs. */
  z.object({ kind: z.literal('cosine'), minLr: z.number().min(0).finite().default(0) }),
]);
export type Schedule = z.infer<typeof ScheduleSchema>;

/**
 * Input normalization, applied after pixels are scaled to [0, 1]:
 * `dataset` computes per-channel mean/std on the training split; `none` keeps [0, 1];
 * `custom` uses the given per-channel values (one number per channel, or one for all).
 */
export const NormalizationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dataset') }),
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('custom'),
    mean: z.array(z.number().finite()).min(1),
    std: z.array(z.number().positive().finite()).min(1),
  }),
]);
export type Normalization = z.infer<typeof NormalizationSchema>;

export const AugmentationSchema = z.object({
  /** Random translation of each training image by up to this many pixels per axis (0 = off). */
  shift: z.int().min(0).max(64).default(0),
  /** Random horizontal flip with probability 1/2 (not for digits: a flipped 2 is no digit). */
  hflip: z.boolean().default(false),
});
export type Augmentation = z.infer<typeof AugmentationSchema>;

/** Which TensorFlow.js backend runs the training; `auto` picks the fastest that loads. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BackendChoiceSchema = z.enum(['auto', ...BACKEND_NAMES]);
export type BackendChoice = z.infer<typeof BackendChoiceSchema>;

export const LossSchema = z.enum(['cross-entropy', 'mse']);
export type Loss = z.infer<typeof LossSchema>;

/**
 * Everything a run needs besides the graph. Every field has a default, so `{}` is a valid config
 * (Adam, 5 epochs, batch 64 on the built-in digits). `TrainConfigInput` is what a caller may send;
 * `TrainConfig` is the parsed result with every default filled in.
 */
export const TrainConfigSchema = z.object({
  dataset: DatasetSchema.default({ kind: 'digits' }),
  epochs: z.int().min(1).max(10_000).default(5),
  batchSize: z.int().min(1).max(65_536).default(64),
  optimizer: OptimizerSchema.prefault({ name: 'adam' }),
  schedule: ScheduleSchema.prefault({ kind: 'none' }),
  /** Stop when validation loss has not improved by more than minDelta for `patience` epochs. */
  earlyStopping: z
    .object({ patience: z.int().min(1), minDelta: z.number().min(0).default(0) })
    .nullable()
    .default(null),
  /** Seeds weight init, shuffling, augmentation and dropout: same seed, same run. */
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /**
   * `cross-entropy` on the graph's output: logits (as nn.CrossEntropyLoss), or log-probabilities
   * when the graph ends in LogSoftmax, or probabilities when it ends in Softmax. `mse` compares
   * the output with the one-hot label.
   */
  loss: LossSchema.default('cross-entropy'),
  normalization: NormalizationSchema.prefault({ kind: 'dataset' }),
  augmentation: AugmentationSchema.prefault({}),
  /** Share of the training samples held out for validation when the dataset has no own split. */
  validationFraction: z.number().gt(0).lt(1).default(0.2),
  /** Train/validate on at most this many samples (quick experiments); null = all. */
  maxTrainSamples: z.int().min(1).nullable().default(null),
  maxValidationSamples: z.int().min(1).nullable().default(null),
  backend: BackendChoiceSchema.default('auto'),
  /** Runs are written to `<outDir>/<runId>/` (graph, config, metrics.jsonl, model). */
  outDir: z.string().min(1).default('runs'),
  /** A run folder to continue from: its weights and optimizer step, training for `epochs` more. */
  resumeFrom: z.string().min(1).nullable().default(null),
  /**
   * A folder holding a checkpoint (model.json + weights.bin: what `nnb import --out DIR` writes,
   * an app import `import-…` in the runs folder, a run's `initial/`, `best/` or `last/`) whose
   * weights a new run starts from — fine-tuning. A layer whose tensors are not all there with
   * the same names and shapes (an edited or added layer) starts fresh, and a warning names it.
   * Not together with `resumeFrom`.
   */
  initialWeights: z.string().min(1).nullable().default(null),
});
export type TrainConfig = z.output<typeof TrainConfigSchema>;
export type TrainConfigInput = z.input<typeof TrainConfigSchema>;

/** Parses a config, filling defaults; on failure, one readable line per problem (`batchSize: …`). */
export function parseTrainConfig(
  input: unknown,
): { ok: true; config: TrainConfig } | { ok: false; problems: string[] } {
  const result = TrainConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    problems: result.error.issues.map(
      (issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'config'}: ${issue.message}`,
    ),
  };
}
