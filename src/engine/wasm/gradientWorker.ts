// The worker side of the data-parallel path: a GradientReplica on its own WASM instance (its own
// core). It loads the WASM backend as soon as it starts, then waits for `init` (which may come
// much later: a worker can be started ahead of need, see RemoteReplica.prestartGradientWorker),
// builds the replica and answers `weights`, `gradients` and `evaluate` messages in order.
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../selectBackend.js';
import type { BatchData } from '../data/makeBatch.js';
import type { BatchEvaluation } from '../train/evaluate.js';
import { GradientReplica, type ReplicaConfig } from './GradientReplica.js';

/** Messages from the main thread: `init` first and once, then the others. */
export type WorkerRequest =
  | { readonly kind: 'init'; readonly config: ReplicaConfig }
  | {
      readonly kind: 'gradients';
      /** Model layout (NHWC), `count` samples. */
      readonly x: Float32Array;
      readonly labels: Int32Array;
      readonly count: number;
      /** Seeds this part's dropout masks. */
      readonly seed: number;
    }
  /** The trainable weights after an optimizer step, in variable order. */
  | { readonly kind: 'weights'; readonly weights: Float32Array }
  /**
   * Evaluation batches (model layout), after the model's other weights (`buffers`: every
   * non-trainable weight in CompiledModel.weights order, BatchNorm's running statistics among
   * them) are set.
   */
  | {
      readonly kind: 'evaluate';
      readonly buffers: Float32Array;
      readonly batches: readonly BatchData[];
    };

/** Messages to the main thread. */
export type WorkerReply =
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'gradients';
      readonly grads: Float32Array;
      readonly loss: number;
      readonly correct: number;
      readonly count: number;
    }
  | { readonly kind: 'evaluation'; readonly results: BatchEvaluation[] }
  | { readonly kind: 'error'; readonly message: string };

const port = parentPort;
if (port === null) throw new Error('gradientWorker.ts must run in a worker thread.');

/** Loading the backend starts now; its failure is the answer to `init`. */
const backendReady = selectBackend('wasm').then(
  () => null,
  (error: unknown) => error as Error,
);
let replica: GradientReplica | null = null;
/** Requests that arrive while `init` is still being answered, in order. */
const waiting: WorkerRequest[] = [];
let initializing = false;

port.on('message', (request: WorkerRequest) => {
  if (initializing) {
    waiting.push(request);
    return;
  }
  if (request.kind === 'init') {
    initializing = true;
    void backendReady.then((failure) => {
      try {
        if (failure !== null) throw failure;
        replica = new GradientReplica(request.config);
        port.postMessage({ kind: 'ready' } satisfies WorkerReply);
      } catch (error) {
        port.postMessage({
          kind: 'error',
          message: (error as Error).message,
        } satisfies WorkerReply);
      }
      initializing = false;
      for (const r of waiting.splice(0)) answer(r);
    });
    return;
  }
  answer(request);
});

function answer(request: WorkerRequest): void {
  const p = port!;
  try {
    if (replica === null) throw new Error(`"${request.kind}" before the replica was built`);
    if (request.kind === 'init') throw new Error('the replica is already built');
    if (request.kind === 'weights') {
      replica.setTrainable(request.weights);
    } else if (request.kind === 'evaluate') {
      replica.setBuffers(request.buffers);
      const results = replica.evaluate(request.batches);
      const reply: WorkerReply = { kind: 'evaluation', results };
      p.postMessage(
        reply,
        results.map((r) => r.predicted.buffer as ArrayBuffer),
      );
    } else {
      const g = replica.gradients(request.x, request.labels, request.count, request.seed);
      const reply: WorkerReply = { kind: 'gradients', ...g };
      p.postMessage(reply, [g.grads.buffer as ArrayBuffer]);
    }
  } catch (error) {
    p.postMessage({ kind: 'error', message: (error as Error).message } satisfies WorkerReply);
  }
}
