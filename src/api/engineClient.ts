import type { z } from 'zod';
import {
  describeIssues,
  ENGINE_EVENTS,
  ENGINE_METHODS,
  type EngineApi,
  type EngineMethod,
  type EngineParams,
  type EngineResult,
} from './EngineApi.js';
import type { TrainEvent } from './training.js';

/** How requests travel: Electron's preload bridge or the web mode's WebSocket. */
export interface EngineTransport {
  call(method: EngineMethod, params: unknown): Promise<unknown>;
  /** Receives `{ channel, payload }` pushes from the host; returns the unsubscribe function. */
  onEvent(listener: (channel: string, payload: unknown) => void): () => void;
  /** Called when an open connection to the host closes (transports that can lose one). */
  onClose?(listener: () => void): () => void;
}

/**
 * The runs this client started or heard of that have not ended. When the connection closes their
 * remaining events can never arrive, so each listener gets a `disconnected` error for each of
 * them instead of waiting forever (a Train all queue, a progress bar).
 */
function followRuns(transport: EngineTransport) {
  const active = new Set<string>();
  const listeners = new Set<(event: TrainEvent) => void>();
  transport.onClose?.(() => {
    const lost = [...active];
    active.clear();
    for (const runId of lost) {
      const event: TrainEvent = {
        type: 'error',
        runId,
        code: 'disconnected',
        message:
          'The connection to NN Builder’s engine closed during training, so this run’s progress is unknown. What it saved is in its run folder; start it again to continue.',
      };
      for (const listener of listeners) listener(event);
    }
  });
  return {
    listeners,
    started(runId: string): void {
      active.add(runId);
    },
    saw(event: TrainEvent): void {
      if (event.type === 'finished' || event.type === 'error') active.delete(event.runId);
      else active.add(event.runId);
    },
  };
}

/**
 * The EngineApi over a transport. Results are validated against the contract too: a host that
 * answers something else is reported as such instead of corrupting the renderer's state.
 */
export function createEngineClient(transport: EngineTransport): EngineApi {
  const runs = followRuns(transport);
  transport.onEvent((channel, payload) => {
    if (channel !== 'train.event') return;
    const parsed = ENGINE_EVENTS['train.event'].safeParse(payload);
    if (parsed.success) runs.saw(parsed.data);
  });
  async function call<M extends EngineMethod>(
    method: M,
    params: EngineParams<M>,
  ): Promise<EngineResult<M>> {
    const raw = await transport.call(method, params);
    const schema: z.ZodType = ENGINE_METHODS[method].result;
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw new Error(`${method}: unexpected answer (${describeIssues(parsed.error, 'result')})`);
    return parsed.data as EngineResult<M>;
  }
  return {
    info: () => call('host.info', {}),
    templates: {
      list: () => call('templates.list', {}),
      read: async (file) => (await call('templates.read', { file })).text,
    },
    files: {
      open: () => call('files.open', {}),
      read: (path) => call('files.read', { path }),
      save: (path, suggestedName, text) => call('files.save', { path, suggestedName, text }),
    },
    training: {
      start: async (graph, config, options) => {
        const group = options?.group;
        const answer = await call('train.start', { graph, config, ...(group && { group }) });
        runs.started(answer.runId);
        return answer;
      },
      pause: async (runId) => void (await call('train.pause', { runId })),
      resume: async (runId) => void (await call('train.resume', { runId })),
      stop: async (runId) => void (await call('train.stop', { runId })),
      predict: (run, image) => call('train.predict', { run, image }),
      onEvent(listener: (event: TrainEvent) => void) {
        runs.listeners.add(listener);
        const off = transport.onEvent((channel, payload) => {
          if (channel !== 'train.event') return;
          const parsed = ENGINE_EVENTS['train.event'].safeParse(payload);
          if (parsed.success) listener(parsed.data);
        });
        return () => {
          runs.listeners.delete(listener);
          off();
        };
      },
    },
    inspect: {
      samples: (params) => call('inspect.samples', params),
      activations: (params) => call('inspect.activations', params),
      filters: (params) => call('inspect.filters', params),
      mistakes: (params) => call('inspect.mistakes', params),
    },
    profile: {
      run: (params) => call('profile.run', params),
      stop: async () => void (await call('profile.stop', {})),
    },
    imports: {
      begin: (params) => call('imports.begin', params),
      write: async (params) => void (await call('imports.write', params)),
      finish: (uploadId) => call('imports.finish', { uploadId }),
    },
  };
}
