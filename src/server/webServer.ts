import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { dispatchEngineRequest, type EngineHandlers } from '../api/engineDispatch.js';
import type { EngineEvent } from '../api/EngineApi.js';
import { API_PROTOCOL, newAccessToken, offeredToken, tokenMatches } from './accessToken.js';
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
  /** The per-launch secret every API connection must offer; a fresh random one by default. */
  readonly token?: string;
}

export interface WebServer {
  /** The server's address, `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** The secret of this launch. */
  readonly token: string;
  /** The address to open: `url` with `?token=…`, which the page keeps and drops from the bar. */
  readonly appUrl: string;
  close(): Promise<void>;
}

/**
 * The largest WebSocket message accepted. Measured (docs/security.md, "Web server"): the
 * largest legitimate request is a prediction of a 512×512 RGBA image, at most 4.2 MB of JSON
 * (the page scales bigger pictures down first); the biggest template graph is 11 KB. Four
 * times headroom; anything larger closes that one connection with code 1009 before the
 * message is buffered whole.
 */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const NO_TOKEN =
  'NN Builder: this connection has no valid access token. Open the address printed in the terminal where the server started (it ends in ?token=…).';

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

  const token = options.token ?? newAccessToken();
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
    maxPayload: MAX_MESSAGE_BYTES,
    // The page offers the API protocol beside its token; the reply names only the protocol.
    handleProtocols: (protocols) => (protocols.has(API_PROTOCOL) ? API_PROTOCOL : false),
  });
  // With noServer the WebSocketServer emits no socket errors itself; a listener keeps any
  // future one from being fatal.
  sockets.on('error', (error) => console.error(`nnb-web: WebSocket server: ${error.message}`));
  server.on('upgrade', (req, socket, head) => {
    // A reset or a garbled handshake must end this socket only, never the process.
    socket.on('error', () => socket.destroy());
    const origin = req.headers.origin;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== '/api') {
      // Other upgrade paths are Vite's hot reload in --dev; without it no one else listens.
      if (!options.middleware)
        refuse(socket, 404, 'Not Found', 'no WebSocket here; the API is /api');
      return;
    }
    // Browsers always send Origin: a page from any other site must not drive the engine.
    const originOk =
      origin === undefined || [...allowedHosts()].some((h) => origin === `http://${h}`);
    if (!originOk || !allowedHosts().has(req.headers.host ?? '')) {
      refuse(socket, 403, 'Forbidden', 'NN Builder: this page may not use the API');
      return;
    }
    // The token is checked for every connection, loopback and right Origin included: any local
    // process or user can open a socket to 127.0.0.1, and tools can send any Origin.
    if (!tokenMatches(token, offeredToken(req))) {
      refuse(socket, 401, 'Unauthorized', NO_TOKEN);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
  });

  const clients = new Set<WebSocket>();
  sockets.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    // Protocol errors (a frame over maxPayload, invalid UTF-8, a bad opcode, an unmasked frame)
    // arrive here after ws has sent the close frame with the matching code (1009, 1007, 1002);
    // it ends the socket when the peer answers, or after 30 s. Without this listener the error
    // would be thrown and end the whole server, every training run with it.
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => onMessage(ws, data, isBinary));
  });

  const send = (ws: WebSocket, message: object) => {
    if (ws.readyState !== ws.OPEN) return;
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      const id = 'id' in message ? message.id : null;
      text = JSON.stringify({
        id,
        ok: false,
        error: `the reply could not be encoded: ${String(error)}`,
      });
    }
    ws.send(text);
  };
  const onMessage = (ws: WebSocket, data: RawData, isBinary: boolean) => {
    if (isBinary) {
      ws.close(1003, 'binary frames are not supported; send JSON text');
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(rawText(data));
    } catch {
      send(ws, { id: null, ok: false, error: 'invalid request: not JSON' });
      return;
    }
    // `null`, numbers, strings and arrays are JSON too; only an object can be a request.
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      send(ws, { id: null, ok: false, error: REQUEST_SHAPE });
      return;
    }
    const request = message as { id?: unknown; method?: unknown; params?: unknown };
    const id = request.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
      send(ws, { id: null, ok: false, error: `${REQUEST_SHAPE}; "id" must be an integer` });
      return;
    }
    dispatchEngineRequest(options.handlers, { method: request.method, params: request.params })
      .then((reply) => send(ws, { id, ...reply }))
      .catch((error: unknown) => send(ws, { id, ok: false, error: String(error) }));
  };

  const unsubscribe = options.subscribe?.((channel, payload) => {
    const text = JSON.stringify({ channel, payload });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, HOST, () => resolve());
  });
  // After the start: an error now (none is expected) is logged, never thrown.
  server.on('error', (error) => console.error(`nnb-web: ${error.message}`));
  // A malformed HTTP request ends that socket with an HTTP error, as Node's default does.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? '431 Request Header Fields Too Large'
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? '408 Request Timeout'
          : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${HOST}:${port}/`;
  return {
    url,
    token,
    appUrl: `${url}?token=${token}`,
    close: async () => {
      unsubscribe?.();
      for (const ws of clients) ws.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const REQUEST_SHAPE = 'invalid request: expected an object {"id": <integer>, "method", "params"}';

/** A text message's bytes as a string (ws hands over a Buffer, or fragments of one). */
function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Ends a refused upgrade with a plain HTTP answer that says why. */
function refuse(socket: Duplex, status: number, statusText: string, text: string): void {
  const body = `${text}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
