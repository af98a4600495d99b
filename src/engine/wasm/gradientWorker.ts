// The worker side of DataParallelTrainer: a GradientReplica on its own WASM instance (its own
// core), answering `gradients` and `apply` messages in order.
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../selectBackend.js';
import { GradientReplica, type ReplicaConfig } from './GradientReplica.js';

/** Messages from the main thread. */
export type WorkerRequest =
  | {
      readonly kind: 'gradients';
      readonly x: Float32Array;
      readonly labels: Int32Array;
      readonly count: number;
    }
  | { readonly kind: 'apply'; readonly grads: Float32Array; readonly lr: number }
  | { readonly kind: 'weights' };

/** Messages to the main thread. */
export type WorkerReply =
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'gradients';
      readonly grads: Float32Array;
      readonly loss: number;
      readonly count: number;
    }
  | { readonly kind: 'weights'; readonly weights: Float32Array }
  | { readonly kind: 'error'; readonly message: string };

const port = parentPort;
if (port === null) throw new Error('gradientWorker.ts must run in a worker thread.');

try {
  await selectBackend('wasm');
  const replica = new GradientReplica(workerData as ReplicaConfig);
  port.on('message', (request: WorkerRequest) => {
    try {
      if (request.kind === 'gradients') {
        const g = replica.gradients(request.x, request.labels, request.count);
        const reply: WorkerReply = { kind: 'gradients', ...g };
        port.postMessage(reply, [g.grads.buffer as ArrayBuffer]);
      } else if (request.kind === 'apply') {
        replica.apply(request.grads, request.lr);
      } else {
        const weights = replica.weights();
        port.postMessage({ kind: 'weights', weights } satisfies WorkerReply, [
          weights.buffer as ArrayBuffer,
        ]);
      }
    } catch (error) {
      port.postMessage({ kind: 'error', message: (error as Error).message } satisfies WorkerReply);
    }
  });
  port.postMessage({ kind: 'ready' } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ kind: 'error', message: (error as Error).message } satisfies WorkerReply);
}
