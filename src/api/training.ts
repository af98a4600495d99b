/**
 * The training contract between the app (training panel, charts) and the engine, whichever host
 * carries it (Electron IPC, the web-mode WebSocket server, the CLI).
 *
 * Pure TypeScript + zod: no tfjs, no node:*, no DOM, so the renderer imports it directly. Hosts
 * validate what crosses their boundary with the schemas below (`TrainConfigSchema.parse` for
 * requests, `TrainEventSchema.parse` for events) instead of trusting the other side.
 *
 * Lifecycle of a run:
 *   start() → `started` → (`batch`* → `epoch` → `evaluation` → `checkpoint`*)* → `finished`
 * with `paused`/`resumed` in between when asked, and `warning` at any time. Every run ends with
 * exactly one terminal event: `finished` or `error`; no event for that run follows it.
 * Epochs are numbered from 1, batches within an epoch from 1.
 */
import { z } from 'zod';
import type { GraphDocument } from '../core/graph/document.js';
import type { TrainConfigInput } from './trainConfig.js';
import type { ImageInput, Prediction, TrainEvent } from './trainEvents.js';

export * from './trainConfig.js';
export * from './trainEvents.js';

// ─── The API a host implements ──────────────────────────────────────────────────────────────

/**
 * The runs of one "Train all": started together, they may train side by side — up to
 * min(size, cores − 1) at once, each on one thread — while every other run still trains alone
 * (TrainingService, docs/security.md).
 */
export const TrainGroupSchema = z
  .object({
    /** Chosen by the caller, the same for every run of the group. */
    id: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'a group id (letters, digits, . _ : -)'),
    /** How many runs the group has (the variants trained). */
    size: z.int().min(1).max(64),
  })
  .strict();
export type TrainGroup = z.infer<typeof TrainGroupSchema>;

export interface TrainStartOptions {
  readonly group?: TrainGroup;
}

export interface TrainingApi {
  /**
   * Starts a run in a background worker. Rejects only when `config` fails TrainConfigSchema
   * (validate the form with `parseTrainConfig` first), when a path in it lies outside the folders
   * the host allows (docs/security.md), or when too many runs already wait; every later problem —
   * an invalid graph included — arrives as an `error` event for the returned runId. One run trains
   * at a time: a later one waits (a `warning` event says so) and starts when the current one ends;
   * stopping a waiting run ends it with `finished` (`stopped`, no epoch completed). The runs of
   * one `group` (a Train all) may train side by side when the host has the cores.
   */
  start(
    graph: GraphDocument,
    config: TrainConfigInput,
    options?: TrainStartOptions,
  ): Promise<{ runId: string }>;
  /** Pauses after the current batch (`paused` event). No-op for an unknown or finished run. */
  pause(runId: string): Promise<void>;
  resume(runId: string): Promise<void>;
  /**
   * Stops after the current batch and ends with `finished` reason `stopped`; the checkpoints of
   * the completed epochs stay in the run folder.
   */
  stop(runId: string): Promise<void>;
  /** Receives the events of every run; returns the function that unsubscribes. */
  onEvent(listener: (event: TrainEvent) => void): () => void;
  /**
   * Classifies one image with a trained model: `run` is a run id of this session or a run
   * folder's path. The image is resized and normalized the way the run's training data was.
   */
  predict(run: string, image: ImageInput): Promise<Prediction>;
}
