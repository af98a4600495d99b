import { Worker } from 'node:worker_threads';
import type {
  ActivationsParams,
  ActivationsResult,
  FiltersParams,
  FiltersResult,
  InspectApi,
  MistakesParams,
  MistakesResult,
  SamplesParams,
  SamplesResult,
} from '../../api/inspect.js';
import type { InspectReply, InspectRequest } from './inspectWorker.js';
import { workerEntryUrl } from '../workerEntry.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * InspectApi answered by a worker thread (inspectWorker.ts): a forward pass through ResNet-18 or
 * the initialization of VGG-16's 138 M weights never holds the host's thread, where the web
 * server's socket or Electron's IPC lives. Requests are answered in order; a worker that dies
 * fails its pending requests with the reason and is started afresh on the next one.
 */
export class InspectWorkerClient implements InspectApi {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly runsDir: string) {}

  samples(params: SamplesParams): Promise<SamplesResult> {
    return this.ask('samples', params) as Promise<SamplesResult>;
  }

  activations(params: ActivationsParams): Promise<ActivationsResult> {
    return this.ask('activations', params) as Promise<ActivationsResult>;
  }

  filters(params: FiltersParams): Promise<FiltersResult> {
    return this.ask('filters', params) as Promise<FiltersResult>;
  }

  mistakes(params: MistakesParams): Promise<MistakesResult> {
    return this.ask('mistakes', params) as Promise<MistakesResult>;
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private ask(method: InspectRequest['method'], params: unknown): Promise<unknown> {
    const worker = this.start();
    const id = this.nextId++;
    // Referenced only while it owes an answer: an idle worker keeps no process alive.
    worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, params } satisfies InspectRequest);
    });
  }

  private start(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(workerEntryUrl(import.meta.url, 'inspectWorker'), {
      workerData: { runsDir: this.runsDir },
    });
    worker.on('message', (reply: InspectReply) => {
      const p = this.pending.get(reply.id);
      if (p === undefined) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new Error(reply.error));
    });
    const crashed = (why: string): void => {
      if (this.worker === worker) this.worker = null;
      for (const p of this.pending.values())
        p.reject(new Error(`the inspect worker stopped unexpectedly (${why})`));
      this.pending.clear();
    };
    worker.on('error', (error) => crashed(error.message));
    worker.on('exit', (code) => crashed(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}
