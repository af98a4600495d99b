import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import {
  TrainConfigSchema,
  type ImageInput,
  type Prediction,
  type TrainEvent,
  type TrainingApi,
  type TrainConfigInput,
} from '../../api/training.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { Predictor } from '../predict/Predictor.js';
import type { WorkerCommand, WorkerInput } from './trainingWorker.js';
import { workerEntryUrl } from '../workerEntry.js';

interface Run {
  readonly worker: Worker;
  runDir: string | null;
  ended: boolean;
}

/** `run-20260128-093012-ab12`: sortable by start time, unique. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `run-${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * The engine side of TrainingApi for every host (Electron main, web server, tests): each run
 * trains in its own worker thread, so the host's thread stays free; a worker that dies without
 * finishing becomes a `worker-crashed` error event.
 */
export class TrainingService implements TrainingApi {
  private readonly runs = new Map<string, Run>();
  private readonly listeners = new Set<(event: TrainEvent) => void>();
  private readonly predictors = new Map<string, Predictor>();

  async start(graph: GraphDocument, input: TrainConfigInput): Promise<{ runId: string }> {
    const config = TrainConfigSchema.parse(input);
    const runId = newRunId();
    const workerData: WorkerInput = { runId, graph, config };
    const worker = new Worker(workerEntryUrl(import.meta.url, 'trainingWorker'), { workerData });
    const run: Run = { worker, runDir: null, ended: false };
    this.runs.set(runId, run);
    worker.on('message', (event: TrainEvent) => {
      if (event.type === 'started') run.runDir = event.runDir;
      if (event.type === 'checkpoint' && run.runDir !== null) this.forgetPredictor(run.runDir);
      if (event.type === 'finished' || event.type === 'error') run.ended = true;
      this.emit(event);
    });
    const crashed = (why: string): void => {
      if (run.ended) return;
      run.ended = true;
      this.emit({
        type: 'error',
        runId,
        code: 'worker-crashed',
        message: `The training worker stopped unexpectedly: ${why}`,
      });
    };
    worker.on('error', (error) => crashed(error.message));
    worker.on('exit', (code) => crashed(`exit code ${code}`));
    return { runId };
  }

  async pause(runId: string): Promise<void> {
    this.send(runId, { type: 'pause' });
  }

  async resume(runId: string): Promise<void> {
    this.send(runId, { type: 'resume' });
  }

  async stop(runId: string): Promise<void> {
    this.send(runId, { type: 'stop' });
  }

  onEvent(listener: (event: TrainEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async predict(run: string, image: ImageInput): Promise<Prediction> {
    const dir = this.runs.get(run)?.runDir ?? run;
    let predictor = this.predictors.get(dir);
    if (predictor === undefined) {
      predictor = Predictor.load(dir);
      this.predictors.set(dir, predictor);
    }
    return predictor.predict(image);
  }

  /** Ends every worker (host shutdown). */
  async dispose(): Promise<void> {
    for (const run of this.runs.values()) {
      run.ended = true;
      await run.worker.terminate();
    }
    for (const p of this.predictors.values()) p.dispose();
    this.predictors.clear();
  }

  /** A new checkpoint makes a cached model of that run stale. */
  private forgetPredictor(dir: string): void {
    this.predictors.get(dir)?.dispose();
    this.predictors.delete(dir);
  }

  private send(runId: string, command: WorkerCommand): void {
    const run = this.runs.get(runId);
    if (run !== undefined && !run.ended) run.worker.postMessage(command);
  }

  private emit(event: TrainEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
