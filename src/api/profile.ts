/**
 * The Profile action's contract: time each layer of the editor's graph, forward and backward, on
 * the backend training would use, with the training batch size. Pure TypeScript + zod, shared by
 * hosts and renderer; the engine side is src/engine/profile.
 */
import { z } from 'zod';
import type { GraphDocument } from '../core/graph/document.js';
import { readGraphDocument } from '../core/graph/parseGraph.js';
import type { LayerProfile } from '../core/profile/layerProfile.js';
import { BackendChoiceSchema } from './trainConfig.js';

/** Same reader as EngineApi's (defined here too: EngineApi imports this module). */
const GraphSchema = z.unknown().transform((value, ctx): GraphDocument => {
  const outcome = readGraphDocument(value);
  if (outcome.ok) return outcome.graph;
  ctx.addIssue({ code: 'custom', message: outcome.error });
  return z.NEVER;
});

const ms = z.number().min(0);

export const LayerProfileSchema = z.object({
  backend: z.string().max(100),
  device: z.string().max(300).nullable(),
  batchSize: z.int().min(1),
  warmup: z.int().min(0),
  runs: z.int().min(1),
  layers: z
    .array(
      z.object({
        id: z.string().max(400),
        type: z.string().max(100),
        forwardMs: ms,
        backwardMs: ms,
      }),
    )
    .readonly(),
  stepMs: ms,
}) satisfies z.ZodType<LayerProfile>;

export const PROFILE_METHODS = {
  /**
   * Each layer's forward and backward milliseconds, and one whole step, in a worker thread; a
   * graph with errors, or a profile past its time limit, is refused with a message.
   */
  'profile.run': {
    params: z
      .object({
        graph: GraphSchema,
        batchSize: z.int().min(1).max(4096).default(32),
        backend: BackendChoiceSchema.default('auto'),
      })
      .strict(),
    result: LayerProfileSchema,
  },
  /** Ends the running profile, if any: its `profile.run` rejects with "The profile was stopped". */
  'profile.stop': { params: z.object({}).strict(), result: z.null() },
} as const;

export type ProfileParams = z.output<(typeof PROFILE_METHODS)['profile.run']['params']>;
export type ProfileRequest = z.input<(typeof PROFILE_METHODS)['profile.run']['params']>;

/** What an engine implements (validated params in). */
export interface ProfileApi {
  run(params: ProfileParams): Promise<LayerProfile>;
  /** Ends the running profile (its thread); `why` ends the message its run rejects with. */
  stop(why?: string): void;
}

/** What a renderer sends (defaults may be left out). */
export interface ProfileClient {
  run(params: ProfileRequest): Promise<LayerProfile>;
  stop(): Promise<void>;
}
