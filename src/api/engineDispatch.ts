import {
  describeIssues,
  ENGINE_METHODS,
  EngineRequestSchema,
  type EngineMethod,
  type EngineParsedParams,
  type EngineResult,
} from './EngineApi.js';

/** What a host implements: one function per method, receiving validated params. */
export type EngineHandlers = {
  readonly [M in EngineMethod]: (params: EngineParsedParams<M>) => Promise<EngineResult<M>>;
};

export type EngineReply =
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

/**
 * Validates a raw request (`{ method, params }` from IPC or a WebSocket) and runs its handler.
 * Never throws: a bad request or a failing handler becomes `{ ok: false, error }` with a message
 * naming the method and the field — the renderer shows it, no stack trace crosses the boundary.
 */
export async function dispatchEngineRequest(
  handlers: EngineHandlers,
  raw: unknown,
): Promise<EngineReply> {
  const request = EngineRequestSchema.safeParse(raw);
  if (!request.success) {
    const known = Object.keys(ENGINE_METHODS).join(', ');
    return {
      ok: false,
      error: `invalid request: ${describeIssues(request.error, 'request')} (methods: ${known})`,
    };
  }
  const { method } = request.data;
  const params = ENGINE_METHODS[method].params.safeParse(request.data.params ?? {});
  if (!params.success) {
    return { ok: false, error: `${method}: ${describeIssues(params.error, 'params')}` };
  }
  try {
    const handler = handlers[method] as (p: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(params.data) };
  } catch (error) {
    return {
      ok: false,
      error: `${method}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
