/**
 * Entry point of a profile worker thread: loads the requested backend (the one training would
 * use), profiles the graph it was started with, posts `{ ok, result | error }` and ends. A fresh
 * thread per profile: its backend is its own, and stopping a profile is ending its thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ProfileParams } from '../../api/profile.js';
import { selectBackend } from '../selectBackend.js';
import { profileModel } from './profileModel.js';

export type ProfileReply =
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

const port = parentPort;
if (port === null) throw new Error('profileWorker.ts must run in a worker thread.');
const params = workerData as ProfileParams;

try {
  const { backend, device } = await selectBackend(params.backend);
  const result = await profileModel(params.graph, {
    batchSize: params.batchSize,
    backend,
    device,
  });
  port.postMessage({ ok: true, result } satisfies ProfileReply);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  port.postMessage({ ok: false, error: message } satisfies ProfileReply);
}
