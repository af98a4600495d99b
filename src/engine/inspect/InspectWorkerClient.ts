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
import { SUPERSEDED } from '../../api/inspect.js';
import type { InspectReply, InspectRequest } from './inspectWorker.js';
import { workerEntryUrl } from '../workerEntry.js';

interface Pending {
  readonly id: number;
  readonly method: InspectRequest['method'];
  readonly params: unknown;
  readonly lane: string | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** Set once a newer request in its lane took over: its answer is dropped. */
  superseded: boolean;
}

/** What the client has done, for tests and diagnostics. */
export interface InspectClientStats {
  /** Requests handed to the worker thread. */
  readonly sent: number;
  /** Requests dropped for a newer one in their lane (waiting: never sent; computing: answer dropped). */
  readonly superseded: number;
}

/**
 * InspectApi answered by a worker thread (inspectWorker.ts): a forward pass through ResNet-18 or
 * the initialization of VGG-16's 138 M weights never holds the host's thread, where the web
 * server's socket or Electron's IPC lives. The worker computes one request at a time, in order;
 * the rest wait here, so a request superseded by a newer one in its lane (`params.lane`) is
 * dropped before it costs anything, and one superseded while computing has its answer dropped
 * (both reject with SUPERSEDED). A worker that dies fails the requests it owes with the reason
 * and is started afresh on the next one.
 */
export class InspectWorkerClient implements InspectApi {
  private worker: Worker | null = null;
  private readonly waiting: Pending[] = [];
  private computing: Pending | null = null;
  private nextId = 1;
  private counts = { sent: 0, superseded: 0 };

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

  stats(): InspectClientStats {
    return { ...this.counts };
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private ask(method: InspectRequest['method'], params: object): Promise<unknown> {
    const { lane, ...rest } = params as { lane?: string };
    return new Promise((resolve, reject) => {
      if (lane !== undefined) this.supersede(lane);
      const id = this.nextId++;
      this.waiting.push({ id, method, params: rest, lane, resolve, reject, superseded: false });
      this.sendNext();
    });
  }

  /** Drops the requests of `lane` still waiting, and the answer of the one computing. */
  private supersede(lane: string): void {
    const error = () => new Error(`${SUPERSEDED}.`);
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const p = this.waiting[i];
      if (p?.lane !== lane) continue;
      this.waiting.splice(i, 1);
      this.counts.superseded++;
      p.reject(error());
    }
    const current = this.computing;
    if (current !== null && current.lane === lane && !current.superseded) {
      current.superseded = true;
      this.counts.superseded++;
      current.reject(error());
    }
  }

  /** Hands the next waiting request to the worker once it is free. */
  private sendNext(): void {
    if (this.computing !== null) return;
    const next = this.waiting.shift();
    if (next === undefined) {
      // Referenced only while it owes an answer: an idle worker keeps no process alive.
      this.worker?.unref();
      return;
    }
    const worker = this.start();
    worker.ref();
    this.computing = next;
    this.counts.sent++;
    const { id, method, params } = next;
    worker.postMessage({ id, method, params } satisfies InspectRequest);
  }

  private start(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(workerEntryUrl(import.meta.url, 'inspectWorker'), {
      workerData: { runsDir: this.runsDir },
    });
    worker.on('message', (reply: InspectReply) => {
      const p = this.computing;
      if (p === null || p.id !== reply.id) return;
      this.computing = null;
      if (!p.superseded) {
        if (reply.ok) p.resolve(reply.result);
        else p.reject(new Error(reply.error));
      }
      this.sendNext();
    });
    const crashed = (why: string): void => {
      // A worker replaced after a crash is not this one's business (dispose() nulls it first).
      if (this.worker !== worker && this.worker !== null) return;
      this.worker = null;
      const owed = [...(this.computing === null ? [] : [this.computing]), ...this.waiting];
      this.computing = null;
      this.waiting.length = 0;
      for (const p of owed)
        if (!p.superseded) p.reject(new Error(`the inspect worker stopped unexpectedly (${why})`));
    };
    worker.on('error', (error) => crashed(error.message));
    worker.on('exit', (code) => crashed(`exit code ${code}`));
    this.worker = worker;
    return worker;
  }
}
