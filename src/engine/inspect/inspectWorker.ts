/**
 * Entry point of the inspect worker thread: answers `{ id, method, params }` requests with
 * InspectService and posts `{ id, ok, result | error }` back. It picks its own backend (the best
 * that loads), so the host's thread neither computes nor changes its tfjs backend. Never
 * `webgpu`: one image's forward pass is quicker on the CPU than a GPU device's start-up, and the
 * inspect views read their tensors synchronously.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { selectBackend } from '../selectBackend.js';
import { InspectService } from './InspectService.js';

export interface InspectRequest {
  readonly id: number;
  readonly method: 'samples' | 'activations' | 'filters' | 'mistakes';
  readonly params: unknown;
}

export type InspectReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };

const port = parentPort;
if (port === null) throw new Error('inspectWorker.ts must run in a worker thread.');
const { runsDir } = workerData as { runsDir: string };
const ready = selectBackend('auto', ['webgpu'])
  .catch(() => undefined)
  .then(() => new InspectService(runsDir));

port.on('message', async (request: InspectRequest) => {
  const service = await ready;
  try {
    const method = service[request.method].bind(service) as (p: unknown) => Promise<unknown>;
    const result = await method(request.params);
    port.postMessage({ id: request.id, ok: true, result } satisfies InspectReply);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    port.postMessage({ id: request.id, ok: false, error: message } satisfies InspectReply);
  }
});
