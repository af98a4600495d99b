import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { dispatchEngineRequest, type EngineHandlers } from '../api/engineDispatch.js';
import type { EngineEvent } from '../api/EngineApi.js';
import { serveStatic } from './staticFiles.js';

export interface WebServerOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  readonly handlers: EngineHandlers;
  /** Host events to push to every connected window; returns the unsubscribe function. */
  readonly subscribe?: (push: (channel: EngineEvent, payload: unknown) => void) => () => void;
  /** Development: Vite's middleware serves the renderer with hot reload instead of the build. */
  readonly middleware?: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
}

export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

// Loopback only: the server runs the user's files and training on their machine, so nothing
// else on the network may reach it.
const HOST = '127.0.0.1';

/** The web-mode host: the renderer over HTTP and the EngineApi over a WebSocket at /api. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  let port = options.port;
  const allowedHosts = () => new Set([`${HOST}:${port}`, `localhost:${port}`]);
  const securityHeaders = () => ({
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      // React Flow positions nodes with style attributes.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      `connect-src 'self' ws://${HOST}:${port} ws://localhost:${port}`,
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  });

  const server = createServer((req, res) => {
    // A page on another site could point a DNS name at 127.0.0.1 (DNS rebinding): only answer
    // requests addressed to the loopback names.
    if (!allowedHosts().has(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('wrong host');
      return;
    }
    const fallback = () => {
      serveStatic(options.rendererDir, req, res, securityHeaders()).catch((error: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error));
      });
    };
    if (options.middleware) options.middleware(req, res, fallback);
    else fallback();
  });

  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: 128 * 1024 * 1024,
  });
  server.on('upgrade', (req, socket, head) => {
    const origin = req.headers.origin;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    // Browsers always send Origin: a page from any other site must not drive the engine.
    const originOk =
      origin === undefined || [...allowedHosts()].some((h) => origin === `http://${h}`);
    if (path !== '/api' || !originOk || !allowedHosts().has(req.headers.host ?? '')) {
      if (path === '/api') {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      }
      // Other upgrade paths (Vite's hot reload) are left to whoever else listens.
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  const clients = new Set<WebSocket>();
  sockets.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data) => {
      let message: { id?: unknown; method?: unknown; params?: unknown };
      try {
        message = JSON.parse(data.toString()) as typeof message;
      } catch {
        ws.send(JSON.stringify({ id: null, ok: false, error: 'invalid request: not JSON' }));
        return;
      }
      const id = typeof message.id === 'number' ? message.id : null;
      void dispatchEngineRequest(options.handlers, {
        method: message.method,
        params: message.params,
      }).then((reply) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ...reply }));
      });
    });
  });
  const unsubscribe = options.subscribe?.((channel, payload) => {
    const text = JSON.stringify({ channel, payload });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${HOST}:${port}/`,
    close: async () => {
      unsubscribe?.();
      for (const ws of clients) ws.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
