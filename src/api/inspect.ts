/**
 * The "see inside the network" contract (issue 6): validation samples to pick an input from, a
 * node's feature maps, a conv layer's filters before and after training, and the validation
 * images of one confusion-matrix cell.
 *
 * Pure TypeScript + zod (no node:*, no DOM), so hosts and renderer share it. Float tensors cross
 * as base64 of little-endian float32 (a JSON array of 800,000 numbers would be 5–10× larger);
 * pixels as base64 of bytes. A run is named by its id (the folder name under the host's runs
 * folder): the page can never point a host at another folder.
 */
import { z } from 'zod';
import type { GraphDocument } from '../core/graph/document.js';
import { readGraphDocument } from '../core/graph/parseGraph.js';
import { ImageInputSchema } from './trainEvents.js';

/** `run-20260128-093012-ab12`: a folder name under the host's runs folder, no path. */
export const RunIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/,
    'a run id (a folder name under the runs folder, like "run-20260128-093012-ab12")',
  );

/** Same reader as EngineApi's (defined here too: EngineApi imports this module). */
const GraphSchema = z.unknown().transform((value, ctx): GraphDocument => {
  const outcome = readGraphDocument(value);
  if (outcome.ok) return outcome.graph;
  ctx.addIssue({ code: 'custom', message: outcome.error });
  return z.NEVER;
});

/** Which weights to look at: a run's trained checkpoint, or the editor's graph as initialized. */
export const ModelSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('run'),
      runId: RunIdSchema,
      /** `best` (highest validation accuracy) falls back to `last` when absent. */
      checkpoint: z.enum(['best', 'last']).default('best'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('graph'),
      graph: GraphSchema,
      /** The seed that initializes the weights (TrainConfig's default: 42). */
      seed: z
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .default(42),
      /**
       * A folder of the runs folder (an import kept by `imports.finish`) whose weights the graph's
       * layers take where they fit (same names and shapes), as a run started from them would.
       */
      weightsFrom: RunIdSchema.optional(),
    })
    .strict(),
]);
export type ModelSource = z.output<typeof ModelSourceSchema>;
export type ModelSourceInput = z.input<typeof ModelSourceSchema>;

/** Bytes (H×W×C, channels interleaved) of one image, 0–255. */
export const PixelImageSchema = z.object({
  width: z.int().min(1),
  height: z.int().min(1),
  channels: z.union([z.literal(1), z.literal(3)]),
  /** base64 of width·height·channels bytes. */
  pixels: z.base64(),
});
export type PixelImage = z.infer<typeof PixelImageSchema>;

/** A float32 tensor in PyTorch's order (C×H×W, O×I×kH×kW, or flat). */
export const FloatTensorSchema = z.object({
  shape: z.array(z.int().min(1)),
  /** base64 of the little-endian float32 values, row-major. */
  data: z.base64(),
  min: z.number(),
  max: z.number(),
});
export type FloatTensor = z.infer<typeof FloatTensorSchema>;

const classIndex = z.int().min(0).max(255);

/**
 * A request's lane (optional): a newer request in the same lane supersedes an older one that is
 * still waiting or computing, which is then dropped — never computed if it had not started, its
 * answer never delivered (it rejects with SUPERSEDED). The renderer gives each view its own lane.
 */
const lane = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'a lane name (letters, digits, . _ : -, up to 100)')
  .optional();

/** The error message of a request dropped for a newer one in its lane. */
export const SUPERSEDED = 'superseded by a newer request in its lane';

export const INSPECT_METHODS = {
  /**
   * A few validation images: `count` of them, one per class in class order (0, 1, …, K−1, 0, …),
   * each the first validation sample of its class not yet taken. `run` → that run's dataset and
   * split; `digits` → the built-in digits with the default split.
   */
  'inspect.samples': {
    params: z
      .object({
        dataset: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('digits') }).strict(),
          z.object({ kind: z.literal('run'), runId: RunIdSchema }).strict(),
        ]),
        count: z.int().min(1).max(64).default(10),
      })
      .strict(),
    result: z.object({
      dataset: z.string(),
      classNames: z.array(z.string()),
      validationSize: z.int().min(0),
      samples: z.array(
        z.object({
          /** Index in the validation split. */
          index: z.int().min(0),
          label: classIndex,
          className: z.string(),
          image: PixelImageSchema,
        }),
      ),
    }),
  },
  /** The output of one node (`conv1`, `block1/conv2`, or a block: its output) for one image. */
  'inspect.activations': {
    params: z
      .object({
        source: ModelSourceSchema,
        node: z.string().min(1).max(400),
        /** Any size: resized, converted and normalized as the model's training data was. */
        image: ImageInputSchema,
        lane,
      })
      .strict(),
    result: z.object({
      /** The node asked for, and the primitive whose value it is (a block's inner output). */
      node: z.string(),
      computedNode: z.string(),
      type: z.string(),
      /** Trained weights (with the checkpoint's epoch) or the graph's initial ones. */
      weights: z.enum(['trained', 'untrained']),
      epoch: z.int().min(0).nullable(),
      /** C×H×W for feature maps, [F] for flat values. */
      activation: FloatTensorSchema,
    }),
  },
  /** A Conv2d's kernels (default: the first Conv2d in the graph's order) before and after training. */
  'inspect.filters': {
    params: z
      .object({
        source: ModelSourceSchema,
        node: z.string().min(1).max(400).nullable().default(null),
        lane,
      })
      .strict(),
    result: z.object({
      node: z.string(),
      /** Every Conv2d of the graph (inner ids for blocks), for a picker. */
      convNodes: z.array(z.string()),
      /** O×I×kH×kW, PyTorch's layout. Initial: the run's initial/ or the graph's seeded init. */
      initial: FloatTensorSchema.nullable(),
      /** Null for a graph source (nothing trained yet). */
      trained: FloatTensorSchema.nullable(),
      trainedEpoch: z.int().min(0).nullable(),
    }),
  },
  /** The validation images of confusion cell [trueClass][predictedClass] of a run's last epoch. */
  'inspect.mistakes': {
    params: z
      .object({
        runId: RunIdSchema,
        trueClass: classIndex,
        predictedClass: classIndex,
        limit: z.int().min(1).max(500).default(48),
        offset: z.int().min(0).default(0),
        lane,
      })
      .strict(),
    result: z.object({
      trueClass: classIndex,
      predictedClass: classIndex,
      classNames: z.array(z.string()),
      /** All samples in the cell (the confusion matrix's count); `images` holds at most `limit`. */
      total: z.int().min(0),
      validationSize: z.int().min(0),
      images: z.array(z.object({ index: z.int().min(0), image: PixelImageSchema })),
    }),
  },
} as const;

type Methods = typeof INSPECT_METHODS;
type Params<M extends keyof Methods> = z.output<Methods[M]['params']>;
type Result<M extends keyof Methods> = z.output<Methods[M]['result']>;
export type SamplesParams = Params<'inspect.samples'>;
export type SamplesResult = Result<'inspect.samples'>;
export type ActivationsParams = Params<'inspect.activations'>;
export type ActivationsResult = Result<'inspect.activations'>;
export type FiltersParams = Params<'inspect.filters'>;
export type FiltersResult = Result<'inspect.filters'>;
export type MistakesParams = Params<'inspect.mistakes'>;
export type MistakesResult = Result<'inspect.mistakes'>;

/** What an engine implements (validated params in, results out). */
export interface InspectApi {
  samples(params: SamplesParams): Promise<SamplesResult>;
  activations(params: ActivationsParams): Promise<ActivationsResult>;
  filters(params: FiltersParams): Promise<FiltersResult>;
  mistakes(params: MistakesParams): Promise<MistakesResult>;
}

/** What a renderer sends (defaults may be left out). */
export interface InspectClient {
  samples(params: z.input<Methods['inspect.samples']['params']>): Promise<SamplesResult>;
  activations(
    params: z.input<Methods['inspect.activations']['params']>,
  ): Promise<ActivationsResult>;
  filters(params: z.input<Methods['inspect.filters']['params']>): Promise<FiltersResult>;
  mistakes(params: z.input<Methods['inspect.mistakes']['params']>): Promise<MistakesResult>;
}
