// A GradientReplica in a worker thread, with its own WASM instance: the WASM backend is
// single-threaded in Node, so this is how a training uses a second core.
import { Worker } from 'node:worker_threads';
import type { BatchData } from '../data/makeBatch.js';
import type { BatchEvaluation } from '../train/evaluate.js';
import type { PartialGradients, ReplicaConfig } from './GradientReplica.js';
import type { WorkerReply, WorkerRequest } from './gradientWorker.js';

export class RemoteReplica {
  private readonly pending: ((reply: WorkerReply) => void)[] = [];
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'error') this.failure = new Error(`gradient worker: ${reply.message}`);
      this.pending.shift()?.(reply);
    });
    worker.on('error', (error) => {
      this.failure = error;
      for (const resolve of this.pending.splice(0))
        resolve({ kind: 'error', message: error.message });
    });
  }

  /**
   * Takes the worker prestartGradientWorker started, or starts one, and waits until its replica
   * is built (it activates 'wasm' itself).
   */
  static async start(config: ReplicaConfig): Promise<RemoteReplica> {
    const worker = takePrestarted() ?? spawnGradientWorker();
    worker.ref();
    const remote = new RemoteReplica(worker);
    const ready = await remote.request({ kind: 'init', config });
    if (ready.kind !== 'ready') {
      await remote.dispose();
      throw new Error(
        `The gradient worker failed to start: ${ready.kind === 'error' ? ready.message : ready.kind}`,
      );
    }
    return remote;
  }

  /** Replaces the replica's trainable weights (takes the array: it is transferred). */
  setTrainable(weights: Float32Array): void {
    this.post({ kind: 'weights', weights });
  }

  /** The gradients of `count` samples (model layout; the arrays are transferred). */
  async gradients(
    x: Float32Array,
    labels: Int32Array,
    count: number,
    seed: number,
  ): Promise<PartialGradients> {
    if (this.failure) throw this.failure;
    const reply = await this.request({ kind: 'gradients', x, labels, count, seed });
    if (reply.kind !== 'gradients')
      throw this.failure ?? new Error(`unexpected reply ${reply.kind}`);
    return reply;
  }

  /** Evaluates `batches` after setting the replica's non-trainable weights to `buffers`. */
  async evaluate(buffers: Float32Array, batches: readonly BatchData[]): Promise<BatchEvaluation[]> {
    if (this.failure) throw this.failure;
    const reply = await this.request({ kind: 'evaluate', buffers, batches });
    if (reply.kind !== 'evaluation')
      throw this.failure ?? new Error(`unexpected reply ${reply.kind}`);
    return reply.results;
  }

  async dispose(): Promise<void> {
    await this.worker.terminate();
  }

  private post(request: WorkerRequest): void {
    this.worker.postMessage(request, transferables(request) as ArrayBuffer[]);
  }

  /** Posts `request` and resolves with the reply. */
  private request(request: WorkerRequest): Promise<WorkerReply> {
    const reply = new Promise<WorkerReply>((resolve) => this.pending.push(resolve));
    this.post(request);
    return reply;
  }
}

/** The arrays a request hands over to the worker instead of copying. */
function transferables(request: WorkerRequest): ArrayBufferLike[] {
  switch (request.kind) {
    case 'init':
      // Copied: the caller's arrays may be a backend's own storage (dataSync on cpu).
      return [];
    case 'gradients':
      return [request.x.buffer, request.labels.buffer];
    case 'weights':
      return [request.weights.buffer];
    case 'evaluate':
      return [
        request.buffers.buffer,
        ...request.batches.flatMap((b) => [b.x.buffer, b.labels.buffer]),
      ];
  }
}

/** A worker started ahead of need and not yet taken, and what became of it meanwhile. */
let prestarted: { worker: Worker; failed: boolean } | null = null;

/**
 * Starts a gradient worker now, so that its start-up (loading tfjs and the WASM backend, about
 * 0.4 s) runs on the second core while this thread loads the rest of the program and the data:
 * `nnb train` calls it first thing. The next RemoteReplica.start takes it. Until then it does not
 * keep the process alive, and discardPrestartedWorker ends it when the run trains on one thread.
 */
export function prestartGradientWorker(): Worker {
  if (prestarted !== null) return prestarted.worker;
  const entry = { worker: spawnGradientWorker(), failed: false };
  entry.worker.unref();
  // A worker that failed before it was taken is replaced by a fresh one, which then reports why.
  entry.worker.on('error', () => (entry.failed = true));
  entry.worker.on('exit', () => (entry.failed = true));
  prestarted = entry;
  return entry.worker;
}

/** Whether a prestarted worker is waiting to be taken. */
export function prestartedWorkerWaiting(): boolean {
  return prestarted !== null;
}

/** Ends the prestarted worker if no replica took it. */
export async function discardPrestartedWorker(): Promise<void> {
  const entry = prestarted;
  prestarted = null;
  if (entry !== null) await entry.worker.terminate();
}

function takePrestarted(): Worker | null {
  const entry = prestarted;
  prestarted = null;
  if (entry === null) return null;
  if (!entry.failed) return entry.worker;
  void entry.worker.terminate();
  return null;
}

/**
 * The worker runs gradientWorker.js next to this file. Under tsx or vitest this file is the
 * TypeScript source, and worker threads do not inherit tsx's loader: the worker then registers
 * tsx itself before importing gradientWorker.ts.
 */
function spawnGradientWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./gradientWorker.js', import.meta.url));
  }
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./gradientWorker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true });
}
