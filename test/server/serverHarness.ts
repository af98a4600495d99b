import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { InspectApi } from '../../src/api/inspect.js';
import type { TrainEvent, TrainingApi } from '../../src/api/training.js';
import { apiProtocols } from '../../src/api/webProtocol.js';
import { TemplateStore } from '../../src/server/templateStore.js';
import { webHandlers } from '../../src/server/webHandlers.js';
import { startWebServer, type WebServer } from '../../src/server/webServer.js';

/** A built-renderer double: an index page and one hashed asset. */
export function rendererFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'nnb-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>NN Builder</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  return root;
}

/** A training engine double that records calls and emits what a real run would. */
export function recordingTraining() {
  const calls: unknown[][] = [];
  const listeners = new Set<(e: TrainEvent) => void>();
  const api: TrainingApi = {
    start: async (graph, config) => {
      calls.push(['start', graph.name, config]);
      return { runId: 'run-1' };
    },
    pause: async (id) => void calls.push(['pause', id]),
    resume: async (id) => void calls.push(['resume', id]),
    stop: async (id) => void calls.push(['stop', id]),
    predict: async () => ({ classes: ['0', '1'], probabilities: [0.25, 0.75], top: 1 }),
    onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
  };
  return { api, calls, emit: (e: TrainEvent) => listeners.forEach((l) => l(e)) };
}

/** A real server on a free port with the real web handlers over a training double. */
export async function startTestServer(
  options: { token?: string; inspect?: () => Promise<InspectApi>; rendererDir?: string } = {},
) {
  const training = recordingTraining();
  const handlers = webHandlers({
    version: '9.9.9',
    templates: new TemplateStore(join(import.meta.dirname, '..', '..', 'templates')),
    training: async () => training.api,
    trainingAvailable: () => true,
    runsDir: '/tmp/runs-here',
    ...(options.inspect && { inspect: options.inspect }),
  });
  const server: WebServer = await startWebServer({
    port: 0,
    rendererDir: options.rendererDir ?? rendererFolder(),
    handlers,
    subscribe: (push) => training.api.onEvent((e) => push('train.event', e)),
    ...(options.token !== undefined && { token: options.token }),
  });
  return { server, training, handlers };
}

/** What startTestServer gives a test. */
export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/** Where a test server listens and the token it wants. */
export interface Reachable {
  readonly url: string;
  readonly token: string;
}

/**
 * The server of `childServer.ts` in its own Node process: a crash there cannot hide in the test
 * runner's error handling; `exited()` says whether the process died.
 */
export async function spawnTestServer() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'childServer.ts')],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let exitCode: number | null | undefined;
  child.on('exit', (code) => (exitCode = code));
  const address = await new Promise<Reachable>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve(JSON.parse(line) as Reachable);
    });
    child.on('exit', (code) => reject(new Error(`the test server exited (${code})`)));
  });
  return {
    ...address,
    emit: (event: TrainEvent) => child.stdin.write(`${JSON.stringify(event)}\n`),
    exited: () => exitCode !== undefined,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exitCode !== undefined) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/** The subprotocols a page offers: the API's and the token. */
export const protocols = (token: string): string[] => apiProtocols(token);

export const apiUrl = (server: Reachable): string => `${server.url.replace('http', 'ws')}api`;

/** One request over a fresh, authorized WebSocket; resolves with the reply. */
export async function askOnce(
  server: Reachable,
  method: string,
  params: unknown = {},
): Promise<{ id: unknown; ok: boolean; result?: unknown; error?: string }> {
  const ws = new WebSocket(apiUrl(server), protocols(server.token));
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const reply = new Promise<string>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(data.toString())),
    );
    ws.send(JSON.stringify({ id: 7, method, params }));
    return JSON.parse(await reply) as { id: unknown; ok: boolean; result?: unknown };
  } finally {
    ws.close();
  }
}

/** The proof of life after an attack: a good request on a new connection is answered. */
export async function expectAlive(server: Reachable): Promise<void> {
  const reply = await askOnce(server, 'host.info');
  if (!reply.ok || reply.id !== 7) throw new Error(`the server answered ${JSON.stringify(reply)}`);
}

/** A WebSocket frame built byte by byte, so it can break any rule of RFC 6455. */
export function frame(
  opcode: number,
  payload: Buffer,
  options: { fin?: boolean; rsv?: number; masked?: boolean; claimedLength?: number } = {},
): Buffer {
  const { fin = true, rsv = 0, masked = true, claimedLength = payload.length } = options;
  const head = [(fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 15)];
  const maskBit = masked ? 0x80 : 0;
  let length: Buffer;
  if (claimedLength < 126) length = Buffer.from([maskBit | claimedLength]);
  else if (claimedLength < 65536) {
    length = Buffer.alloc(3);
    length[0] = maskBit | 126;
    length.writeUInt16BE(claimedLength, 1);
  } else {
    length = Buffer.alloc(9);
    length[0] = maskBit | 127;
    length.writeBigUInt64BE(BigInt(claimedLength), 1);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), length, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ (key[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from(head), length, key, body]);
}

export const textFrame = (text: string): Buffer => frame(1, Buffer.from(text, 'utf8'));

/** What the server sent back on a raw connection: its frames, and whether it ended the socket. */
export interface RawOutcome {
  readonly texts: string[];
  /** The close frame's status code, when the server sent one. */
  readonly closeCode: number | undefined;
  readonly ended: boolean;
}

/**
 * A plain TCP socket that performs the WebSocket handshake by hand (with the token) and then
 * sends `frames` exactly as given. Collects what comes back for `waitMs` or until the end.
 */
export async function rawExchange(
  server: Reachable,
  frames: readonly Buffer[],
  options: { waitMs?: number; until?: (o: RawOutcome) => boolean } = {},
): Promise<RawOutcome> {
  const { waitMs = 1500, until } = options;
  const { port } = new URL(server.url);
  const socket: Socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  const texts: string[] = [];
  let closeCode: number | undefined;
  let ended = false;
  const outcome = (): RawOutcome => ({ texts, closeCode, ended });
  return new Promise<RawOutcome>((resolve, reject) => {
    const timer = setTimeout(finish, waitMs);
    function finish() {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome());
    }
    socket.on('close', () => {
      ended = true;
      if (!upgraded) reject(new Error(`no upgrade: ${buffer.toString()}`));
      else finish();
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString();
        if (!head.startsWith('HTTP/1.1 101')) {
          reject(new Error(`upgrade refused: ${head}`));
          socket.destroy();
          return;
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        for (const f of frames) socket.write(f);
      }
      // Server frames are never masked and these tests only get short ones.
      while (buffer.length >= 2) {
        const opcode = (buffer[0] ?? 0) & 15;
        let length = (buffer[1] ?? 0) & 127;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === 1) texts.push(payload.toString());
        if (opcode === 8) closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      }
      if (until?.(outcome())) finish();
    });
    socket.write(
      [
        'GET /api HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        `Sec-WebSocket-Protocol: ${protocols(server.token).join(', ')}`,
        '',
        '',
      ].join('\r\n'),
    );
  });
}
