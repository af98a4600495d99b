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
}

/**
 * The EngineApi over a transport. Results are validated against the contract too: a host that
 * answers something else is reported as such instead of corrupting the renderer's state.
 */
export function createEngineClient(transport: EngineTransport): EngineApi {
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
      start: (graph, config) => call('train.start', { graph, config }),
      pause: async (runId) => void (await call('train.pause', { runId })),
      resume: async (runId) => void (await call('train.resume', { runId })),
      stop: async (runId) => void (await call('train.stop', { runId })),
      predict: (run, image) => call('train.predict', { run, image }),
      onEvent(listener: (event: TrainEvent) => void) {
        return transport.onEvent((channel, payload) => {
          if (channel !== 'train.event') return;
          const parsed = ENGINE_EVENTS['train.event'].safeParse(payload);
          if (parsed.success) listener(parsed.data);
        });
      },
    },
    inspect: {
      samples: (params) => call('inspect.samples', params),
      activations: (params) => call('inspect.activations', params),
      filters: (params) => call('inspect.filters', params),
      mistakes: (params) => call('inspect.mistakes', params),
    },
  };
}
