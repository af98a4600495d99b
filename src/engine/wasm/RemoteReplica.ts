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

  /** Starts the worker and waits until its replica is built (it activates 'wasm' itself). */
  static async start(config: ReplicaConfig): Promise<RemoteReplica> {
    const remote = new RemoteReplica(spawnGradientWorker(config));
    const ready = await remote.request(null);
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
    const transfer =
      request.kind === 'gradients'
        ? [request.x.buffer, request.labels.buffer]
        : request.kind === 'weights'
          ? [request.weights.buffer]
          : [
              request.buffers.buffer,
              ...request.batches.flatMap((b) => [b.x.buffer, b.labels.buffer]),
            ];
    this.worker.postMessage(request, transfer as ArrayBuffer[]);
  }

  /** Posts `request` (or nothing, to await the start-up message) and resolves with the reply. */
  private request(request: WorkerRequest | null): Promise<WorkerReply> {
    const reply = new Promise<WorkerReply>((resolve) => this.pending.push(resolve));
    if (request !== null) this.post(request);
    return reply;
  }
}

/**
 * The worker runs gradientWorker.js next to this file. Under tsx or vitest this file is the
 * TypeScript source, and worker threads do not inherit tsx's loader: the worker then registers
 * tsx itself before importing gradientWorker.ts.
 */
function spawnGradientWorker(config: ReplicaConfig): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./gradientWorker.js', import.meta.url), { workerData: config });
  }
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./gradientWorker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: config });
}
