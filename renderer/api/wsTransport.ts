import type { EngineMethod } from '../../src/api/EngineApi';
import type { EngineTransport } from '../../src/api/engineClient';
import { apiProtocols } from '../../src/api/webProtocol';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The web mode's transport: JSON requests over one WebSocket to the local server, replies
 * matched by id, pushes as `{ channel, payload }`. Reconnects when the server restarts (a new
 * launch has a new token: then the page must be opened from the new address). The
 * server's token travels as a subprotocol (src/api/webProtocol.ts); without the right one the
 * server refuses the connection.
 */
export function wsTransport(url: string, token: string | undefined): EngineTransport {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(channel: string, payload: unknown) => void>();
  const closeListeners = new Set<() => void>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let opened: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, apiProtocols(token));
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error(`cannot reach the NN Builder server at ${url}`));
      ws.onclose = () => {
        const wasOpen = socket === ws;
        opened = undefined;
        socket = undefined;
        if (wasOpen) for (const l of closeListeners) l();
        for (const p of pending.values())
          p.reject(new Error('the connection to the server closed'));
        pending.clear();
      };
      ws.onmessage = (event: MessageEvent<string>) => {
        let message: {
          id?: number | null;
          ok?: boolean;
          result?: unknown;
          error?: string;
          channel?: string;
          payload?: unknown;
        };
        try {
          message = JSON.parse(event.data) as typeof message;
        } catch {
          return;
        }
        if (typeof message.channel === 'string') {
          for (const l of listeners) l(message.channel, message.payload);
          return;
        }
        const p = typeof message.id === 'number' ? pending.get(message.id) : undefined;
        if (p === undefined) return;
        pending.delete(message.id as number);
        if (message.ok) p.resolve(message.result);
        else p.reject(new Error(message.error ?? 'the server reported an unknown error'));
      };
    });
    opened.catch(() => {
      opened = undefined;
    });
    return opened;
  };

  return {
    async call(method: EngineMethod, params: unknown) {
      const ws = socket ?? (await connect());
      const id = nextId++;
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => listeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
  };
}
