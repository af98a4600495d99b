import { randomBytes } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  TrainConfigSchema,
  type ImageInput,
  type Prediction,
  type TrainEvent,
  type TrainingApi,
  type TrainConfigInput,
  type TrainGroup,
  type TrainStartOptions,
} from '../../api/training.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { LruCache } from '../inspect/LruCache.js';
import { Predictor } from '../predict/Predictor.js';
import { recordRunError } from '../train/runFiles.js';
import type { WorkerCommand, WorkerInput } from './trainingWorker.js';
import { workerEntryUrl } from '../workerEntry.js';

/** The service's limits; the defaults are the app's policy (docs/security.md). */
export interface TrainingLimits {
  /** Runs training at once. One: a run already uses every core, and the app shows one run. */
  readonly concurrentRuns: number;
  /** Runs waiting for a free slot; a start beyond them is refused. */
  readonly queuedRuns: number;
  /** Trained models kept in memory for `predict`; the least recently used is released. */
  readonly predictors: number;
  /**
   * Runs of one group (a Train all) at once: the group's runs may share the machine, one thread
   * each, leaving a core for the host; no other run trains beside them. Cores − 1 by default.
   */
  readonly groupRuns: number;
}

export const DEFAULT_TRAINING_LIMITS: TrainingLimits = {
  concurrentRuns: 1,
  queuedRuns: 8,
  predictors: 4,
  groupRuns: groupRunsFrom(process.env, availableParallelism()),
};

/** Cores − 1 (one stays with the host), or NNB_TRAIN_GROUP_RUNS when it is a whole number ≥ 1. */
export function groupRunsFrom(env: NodeJS.ProcessEnv, cores: number): number {
  const set = Number(env.NNB_TRAIN_GROUP_RUNS);
  return Number.isInteger(set) && set >= 1 ? set : Math.max(1, cores - 1);
}

interface Run {
  readonly runId: string;
  readonly input: WorkerInput;
  readonly group: TrainGroup | null;
  /** Null while the run waits in the queue. */
  worker: Worker | null;
  runDir: string | null;
  ended: boolean;
}

/** The real path of a folder (one cache entry however it is spelled), or the path as given. */
function realFolder(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/** `run-20260128-093012-ab12`: sortable by start time, unique. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * The engine side of TrainingApi for every host (Electron main, web server, tests): each run
 * trains in its own worker thread, so the host's thread stays free; a worker that dies without
 * finishing becomes a `worker-crashed` error event. At most `concurrentRuns` train at once; later
 * ones wait in line (a `warning` event says so) and start when a worker exits.
 */
export class TrainingService implements TrainingApi {
  private readonly runs = new Map<string, Run>();
  private readonly listeners = new Set<(event: TrainEvent) => void>();
  private readonly limits: TrainingLimits;
  /** Ids of the runs whose worker thread is alive (a slot is free once the thread has exited). */
  private readonly active = new Set<string>();
  private readonly queue: Run[] = [];
  /** Keyed by the run folder's real path: one model per run, however its path is spelled. */
  private readonly predictors: LruCache<Predictor>;

  constructor(limits: Partial<TrainingLimits> = {}) {
    this.limits = { ...DEFAULT_TRAINING_LIMITS, ...limits };
    this.predictors = new LruCache<Predictor>(this.limits.predictors, (p) => p.dispose());
  }

  async start(
    graph: GraphDocument,
    input: TrainConfigInput,
    options: TrainStartOptions = {},
  ): Promise<{ runId: string }> {
    const config = TrainConfigSchema.parse(input);
    const group = options.group ?? null;
    // First come, first served: a run waits while others wait, or while no slot fits it.
    const full = this.queue.length > 0 || !this.fits(group);
    // A group's own runs may wait beyond the usual line: it is one request, bounded by its size.
    if (full && this.queue.length >= this.limits.queuedRuns + (group?.size ?? 0)) {
      throw new Error(
        `${this.queue.length} runs are already waiting behind ${this.describeActive()}; ` +
          `${this.policy()}. Stop a run or wait for one to finish, then start again.`,
      );
    }
    const runId = newRunId();
    const run: Run = {
      runId,
      input: { runId, graph, config },
      group,
      worker: null,
      runDir: null,
      ended: false,
    };
    this.runs.set(runId, run);
    if (!full) {
      this.launch(run);
    } else {
      this.queue.push(run);
      const message =
        `Waiting: ${this.describeActive()} is training and ${this.policy(group)}; ` +
        `this run starts when a slot frees up (${this.queue.length} in line).`;
      // After start() has answered, so the caller knows the run id the warning is for.
      setImmediate(() => {
        if (run.worker === null && !run.ended) this.emit({ type: 'warning', runId, message });
      });
    }
    return { runId };
  }

  /** How many runs of `group` may train at once. */
  private groupWidth(group: TrainGroup): number {
    return Math.max(this.limits.concurrentRuns, Math.min(group.size, this.limits.groupRuns));
  }

  /**
   * Whether a run of `group` (null: none) may start now: into a free slot, or beside runs of its
   * own group while the group's width allows. Nothing else ever trains beside a group.
   */
  private fits(group: TrainGroup | null): boolean {
    if (this.active.size === 0) return true;
    const groups = [...this.active].map((id) => this.runs.get(id)?.group?.id ?? null);
    if (group === null)
      return groups.every((g) => g === null) && this.active.size < this.limits.concurrentRuns;
    return groups.every((g) => g === group.id) && this.active.size < this.groupWidth(group);
  }

  private launch(run: Run): void {
    const { runId } = run;
    // Side by side, each run keeps to one thread (no data-parallel second worker): the group's
    // width already spends the cores.
    const sideBySide = run.group !== null && this.groupWidth(run.group) > 1;
    const worker = new Worker(workerEntryUrl(import.meta.url, 'trainingWorker'), {
      workerData: run.input,
      ...(sideBySide && { env: { ...process.env, NNB_THREADS: '1' } }),
    });
    run.worker = worker;
    this.active.add(runId);
    worker.on('message', (event: TrainEvent) => {
      if (event.type === 'started') run.runDir = event.runDir;
      if (event.type === 'checkpoint' && run.runDir !== null) this.forgetPredictor(run.runDir);
      if (event.type === 'finished' || event.type === 'error') run.ended = true;
      this.emit(event);
    });
    const crashed = (why: string): void => {
      if (run.ended) return;
      run.ended = true;
      const event = {
        type: 'error',
        runId,
        code: 'worker-crashed',
        message: `The training worker stopped unexpectedly: ${why}`,
      } as const;
      // The worker cannot record its own death: the run's last metrics.jsonl line is written here.
      if (run.runDir !== null) recordRunError(run.runDir, event);
      this.emit(event);
    };
    worker.on('error', (error) => crashed(error.message));
    worker.on('exit', (code) => {
      crashed(`exit code ${code}`);
      this.active.delete(runId);
      this.launchWaiting();
    });
  }

  /** Starts waiting runs while slots are free. */
  private launchWaiting(): void {
    for (;;) {
      const next = this.queue[0];
      if (next === undefined || !this.fits(next.group)) return;
      this.queue.shift();
      if (!next.ended) this.launch(next);
    }
  }

  private policy(group: TrainGroup | null = null): string {
    const n = this.limits.concurrentRuns;
    const networks = (k: number) => (k === 1 ? 'one network' : `${k} networks`);
    const base = `NN Builder trains ${networks(n)} at a time`;
    return group === null ? base : `${base} (this Train all: ${networks(this.groupWidth(group))})`;
  }

  private describeActive(): string {
    const ids = [...this.active];
    return ids.length === 1 ? `run ${ids[0]}` : `runs ${ids.join(', ')}`;
  }

  async pause(runId: string): Promise<void> {
    this.send(runId, { type: 'pause' });
  }

  async resume(runId: string): Promise<void> {
    this.send(runId, { type: 'resume' });
  }

  async stop(runId: string): Promise<void> {
    const run = this.runs.get(runId);
    if (run !== undefined && run.worker === null && !run.ended) {
      // Still waiting: it leaves the line and ends as a run stopped before its first epoch.
      run.ended = true;
      this.queue.splice(this.queue.indexOf(run), 1);
      const { config } = run.input;
      this.emit({
        type: 'finished',
        runId,
        reason: 'stopped',
        runDir: config.resumeFrom ?? join(config.outDir, runId),
        bestValAccuracy: null,
        bestEpoch: null,
        epochsCompleted: 0,
      });
      return;
    }
    this.send(runId, { type: 'stop' });
  }

  onEvent(listener: (event: TrainEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async predict(run: string, image: ImageInput): Promise<Prediction> {
    const dir = realFolder(this.runs.get(run)?.runDir ?? run);
    return this.predictors.get(dir, () => Predictor.load(dir)).predict(image);
  }

  /** Ends every worker and empties the queue (host shutdown). */
  async dispose(): Promise<void> {
    for (const run of this.queue) run.ended = true;
    this.queue.length = 0;
    for (const run of this.runs.values()) {
      run.ended = true;
      await run.worker?.terminate();
    }
    this.predictors.clear();
  }

  /** A new checkpoint makes a cached model of that run stale. */
  private forgetPredictor(dir: string): void {
    this.predictors.delete(realFolder(dir));
  }

  /** Pause, resume and stop reach a running worker; a waiting run has none yet (stop is above). */
  private send(runId: string, command: WorkerCommand): void {
    const run = this.runs.get(runId);
    if (run !== undefined && !run.ended) run.worker?.postMessage(command);
  }

  private emit(event: TrainEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
