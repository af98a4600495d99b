import { hardwareGpu } from '../../src/engine/webgpu/adapterProbe.js';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { dispatchEngineRequest } from '../../src/api/engineDispatch.js';
import { createEngineClient } from '../../src/api/engineClient.js';
import type { TrainEvent } from '../../src/api/training.js';
import type { WebServer } from '../../src/server/webServer.js';
import { protocols, startTestServer, type TestServer } from './serverHarness.js';

let server: WebServer;
let training: TestServer['training'];
let handlers: TestServer['handlers'];

beforeAll(async () => {
  ({ server, training, handlers } = await startTestServer());
});
afterAll(() => server.close());

function get(
  path: string,
  host?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The renderer's own client, over a real WebSocket, with the server's token. */
function client(origin?: string) {
  const ws = new WebSocket(
    `${server.url.replace('http', 'ws')}api`,
    protocols(server.token),
    origin ? { origin } : {},
  );
  const pending = new Map<number, (m: { ok: boolean; result?: unknown; error?: string }) => void>();
  const events: unknown[] = [];
  let id = 0;
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString()) as { id?: number; channel?: string; payload?: unknown };
    if (m.channel) events.push(m);
    else pending.get(m.id ?? -1)?.(m as never);
  });
  const api = createEngineClient({
    async call(method, params) {
      await opened;
      const n = ++id;
      const reply = await new Promise<{ ok: boolean; result?: unknown; error?: string }>(
        (resolve) => {
          pending.set(n, resolve);
          ws.send(JSON.stringify({ id: n, method, params }));
        },
      );
      if (!reply.ok) throw new Error(reply.error);
      return reply.result;
    },
    onEvent: () => () => undefined,
  });
  return { ws, api, opened, events };
}

describe('web server', () => {
  it('listens on the loopback interface only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves the renderer with a strict CSP', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('NN Builder');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("object-src 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await get('/assets/app.js')).headers['cache-control']).toContain('immutable');
    expect((await get('/some/route')).body).toContain('NN Builder');
  });

  it('never serves files outside the renderer folder', async () => {
    // Unknown extension-less paths get the app page (one-page app), never the file.
    for (const path of [
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc/passwd',
    ]) {
      expect((await get(path)).body).not.toContain('root:');
    }
    expect((await get('/%2e%2e/%2e%2e/etc/hostname.txt')).status).not.toBe(200);
    expect((await get('/missing.js')).status).toBe(404);
  });

  it('answers only requests addressed to 127.0.0.1 or localhost (DNS rebinding)', async () => {
    expect((await get('/', 'evil.example:80')).status).toBe(421);
  });

  it('serves the EngineApi over the WebSocket', async () => {
    const { api, ws } = client();
    expect(await api.info()).toEqual({
      host: 'web',
      version: '9.9.9',
      fileDialogs: false,
      training: true,
      // The hardware GPU webgpu would train on: none where only llvmpipe (software) exists.
      gpu: await hardwareGpu(),
    });
    const index = await api.templates.list();
    expect(index.templates.map((t) => t.file)).toContain('resnet-18.nnb.json');
    expect(JSON.parse(await api.templates.read('lenet-5.nnb.json')).name).toBe('LeNet-5');
    await expect(api.templates.read('../package.json.nnb.json')).rejects.toThrow(/file|gallery/);
    await expect(api.files.open()).rejects.toThrow('web mode has no native file dialogs');
    ws.close();
  });

  it('validates training requests and writes runs where the server was told', async () => {
    const { api, ws } = client();
    const graph = { format: 'nnb-graph', version: 1, name: 'tiny', nodes: [], edges: [] } as const;
    expect(await api.training.start(graph, { epochs: 1 })).toEqual({ runId: 'run-1' });
    const [, name, config] = training.calls.at(-1) ?? [];
    expect(name).toBe('tiny');
    expect(config).toMatchObject({ epochs: 1, batchSize: 64, outDir: '/tmp/runs-here' });
    await expect(api.training.start(graph, { epochs: 0 })).rejects.toThrow('params.config.epochs');
    await expect(api.training.start({ ...graph, format: 'x' } as never, {})).rejects.toThrow(
      'not an NN Builder graph',
    );
    await api.training.stop('run-1');
    expect(training.calls.at(-1)).toEqual(['stop', 'run-1']);
    ws.close();
  });

  it('pushes training events to connected windows', async () => {
    const { ws, opened, events } = client();
    await opened;
    const event: TrainEvent = { type: 'warning', runId: 'run-1', message: 'slow' };
    training.emit(event);
    await expect.poll(() => events).toEqual([{ channel: 'train.event', payload: event }]);
    ws.close();
  });

  it('refuses WebSocket connections from other sites', async () => {
    const { opened } = client('https://evil.example');
    await expect(opened).rejects.toThrow();
  });
});

describe('request dispatch', () => {
  it('names the problem of a bad request, never throwing', async () => {
    expect(await dispatchEngineRequest(handlers, 'nonsense')).toMatchObject({
      ok: false,
      error: expect.stringContaining('invalid request'),
    });
    expect(
      await dispatchEngineRequest(handlers, { method: 'fs.delete', params: {} }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('methods: host.info') });
    expect(
      await dispatchEngineRequest(handlers, {
        method: 'templates.read',
        params: { file: '/etc/passwd' },
      }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('templates.read: params.file') });
    expect(
      await dispatchEngineRequest(handlers, { method: 'host.info', params: { extra: 1 } }),
    ).toMatchObject({ ok: false });
  });
});
