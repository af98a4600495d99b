// Data-parallel training over the machine's two cores. The WASM backend is single-threaded in
// Node, so a second worker thread with its own WASM instance computes the gradients of half of
// every batch while this thread computes the other half; the size-weighted mean of the two is
// exactly the gradient of the batch's mean loss, and both replicas apply it with identical
// optimizers, so their weights stay bit-identical without being copied.
//
// Exact for graphs without BatchNorm. With BatchNorm each half normalizes with its own batch
// statistics (PyTorch DDP semantics without SyncBatchNorm), so use it only where that is wanted.
import { Worker } from 'node:worker_threads';
import { GradientReplica, type PartialGradients, type ReplicaConfig } from './GradientReplica.js';
import type { WorkerReply, WorkerRequest } from './gradientWorker.js';

export class DataParallelTrainer {
  /** This thread's replica: its weights are the trained model. */
  readonly replica: GradientReplica;
  private readonly worker: Worker;
  private pending: ((reply: WorkerReply) => void)[] = [];
  private failure: Error | null = null;

  private constructor(replica: GradientReplica, worker: Worker) {
    this.replica = replica;
    this.worker = worker;
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
   * Starts the worker and builds both replicas. The caller must have activated the 'wasm'
   * backend (selectBackend) in this thread; the worker activates its own.
   */
  static async start(config: ReplicaConfig): Promise<DataParallelTrainer> {
    const worker = spawnGradientWorker(config);
    const trainer = new DataParallelTrainer(new GradientReplica(config), worker);
    const ready = await trainer.request(null);
    if (ready.kind !== 'ready') {
      await trainer.dispose();
      throw new Error(
        `The gradient worker failed to start: ${ready.kind === 'error' ? ready.message : ready.kind}`,
      );
    }
    return trainer;
  }

  /**
   * One step on a batch of `count` samples (inputs flattened in PyTorch's C×H×W order): half in
   * the worker, half here, then the averaged update on both. Returns the batch's mean loss.
   */
  async step(x: Float32Array, labels: Int32Array, count: number, lr: number): Promise<number> {
    if (this.failure) throw this.failure;
    const local = Math.ceil(count / 2);
    const remote = count - local;
    const sampleSize = x.length / labels.length;
    let remoteReply: Promise<WorkerReply> | null = null;
    if (remote > 0) {
      remoteReply = this.request({
        kind: 'gradients',
        x: x.slice(local * sampleSize, count * sampleSize),
        labels: labels.slice(local, count),
        count: remote,
      });
    }
    const mine = this.replica.gradients(x, labels, local);
    const parts: PartialGradients[] = [mine];
    if (remoteReply !== null) {
      const reply = await remoteReply;
      if (reply.kind !== 'gradients')
        throw this.failure ?? new Error(`unexpected reply ${reply.kind}`);
      parts.push(reply);
    }
    const mean = weightedMean(parts);
    this.post({ kind: 'apply', grads: mean.grads.slice(), lr });
    this.replica.apply(mean.grads, lr);
    return mean.loss;
  }

  /** The worker replica's weights (for checking that the replicas agree). */
  async workerWeights(): Promise<Float32Array> {
    const reply = await this.request({ kind: 'weights' });
    if (reply.kind !== 'weights') throw this.failure ?? new Error(`unexpected reply ${reply.kind}`);
    return reply.weights;
  }

  async dispose(): Promise<void> {
    this.replica.dispose();
    await this.worker.terminate();
  }

  private post(request: WorkerRequest): void {
    const transfer =
      request.kind === 'gradients'
        ? [request.x.buffer, request.labels.buffer]
        : request.kind === 'apply'
          ? [request.grads.buffer]
          : [];
    this.worker.postMessage(request, transfer as ArrayBuffer[]);
  }

  /** Posts `request` (or nothing, to await the start-up message) and resolves with the reply. */
  private request(request: WorkerRequest | null): Promise<WorkerReply> {
    const reply = new Promise<WorkerReply>((resolve) => this.pending.push(resolve));
    if (request !== null) this.post(request);
    return reply;
  }
}

/** Σ countᵢ·gᵢ / Σ countᵢ: the gradient of the whole batch's mean loss. */
function weightedMean(parts: readonly PartialGradients[]): { grads: Float32Array; loss: number } {
  const total = parts.reduce((n, p) => n + p.count, 0);
  const grads = new Float32Array(parts[0]!.grads.length);
  let loss = 0;
  for (const p of parts) {
    const w = p.count / total;
    for (let i = 0; i < grads.length; i++) grads[i]! += w * p.grads[i]!;
    loss += w * p.loss;
  }
  return { grads, loss };
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
