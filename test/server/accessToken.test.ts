import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offeredToken, tokenMatches } from '../../src/server/accessToken.js';
import type { WebServer } from '../../src/server/webServer.js';
import { askOnce, protocols, startTestServer } from './serverHarness.js';

// Issue 16: web mode had no secret, so any local process or user could drive the API. Every
// WebSocket now needs the per-launch token, from loopback and with the right Origin too.

const TOKEN = 'known-test-token-0123456789abcdef';
let server: WebServer;
beforeAll(async () => {
  ({ server } = await startTestServer({ token: TOKEN }));
});
afterAll(() => server.close());

/** A WebSocket upgrade by hand: the status, the text of a refusal, the selected protocol. */
function upgrade(
  headers: Record<string, string>,
  path = '/api',
): Promise<{ status: number; body: string; protocol: string | undefined }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      const protocol = res.headers['sec-websocket-protocol'];
      resolve({ status: res.statusCode ?? 0, body: '', protocol });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, protocol: undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

const sameOrigin = () => ({ Origin: server.url.replace(/\/$/, '') });

describe('the per-launch token', () => {
  it('is required even from loopback with the right Origin', async () => {
    const refused = await upgrade(sameOrigin());
    expect(refused.status).toBe(401);
    expect(refused.body).toMatch(/Open the address printed in the terminal/);
  });

  it.each([
    ['a wrong token of the same length', `nnb.v1, nnb.token.${'x'.repeat(TOKEN.length)}`],
    ['a longer token', `nnb.v1, nnb.token.${TOKEN}0`],
    ['a prefix of the token', `nnb.v1, nnb.token.${TOKEN.slice(0, 10)}`],
    ['the token without its prefix', `nnb.v1, ${TOKEN}`],
    ['an empty token', 'nnb.v1, nnb.token.'],
  ])('refuses %s', async (_name, offered) => {
    const refused = await upgrade({ ...sameOrigin(), 'Sec-WebSocket-Protocol': offered });
    expect(refused.status).toBe(401);
  });

  it('opens with the token and answers, selecting the API protocol, not echoing the token', async () => {
    const opened = await upgrade({
      ...sameOrigin(),
      'Sec-WebSocket-Protocol': protocols(TOKEN).join(', '),
    });
    expect(opened.status).toBe(101);
    expect(opened.protocol).toBe('nnb.v1');
    expect(await askOnce(server, 'host.info')).toMatchObject({ id: 7, ok: true });
  });

  it('still refuses other sites, token or not', async () => {
    const refused = await upgrade({
      Origin: 'https://evil.example',
      'Sec-WebSocket-Protocol': protocols(TOKEN).join(', '),
    });
    expect(refused.status).toBe(403);
  });

  it('answers an upgrade to any other path with 404 instead of leaving it open', async () => {
    const refused = await upgrade({ 'Sec-WebSocket-Protocol': protocols(TOKEN).join(', ') }, '/x');
    expect(refused.status).toBe(404);
  });

  it('leaves the page itself public: it holds no secret and explains a missing token', async () => {
    const page = await new Promise<number>((resolve, reject) => {
      request(server.url, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(page).toBe(200);
  });

  it('is fresh and random for each launch when none is given, and in the printed URL', async () => {
    const [a, b] = await Promise.all([startTestServer(), startTestServer()]);
    try {
      expect(a.server.token).toMatch(/^[0-9a-f]{64}$/);
      expect(a.server.token).not.toBe(b.server.token);
      expect(a.server.appUrl).toBe(`${a.server.url}?token=${a.server.token}`);
      expect(server.appUrl).toContain(`?token=${TOKEN}`);
    } finally {
      await Promise.all([a.server.close(), b.server.close()]);
    }
  });
});

describe('token comparison', () => {
  it('matches only the same token', () => {
    expect(tokenMatches('abcdef', 'abcdef')).toBe(true);
    expect(tokenMatches('abcdef', 'abcdeg')).toBe(false);
    expect(tokenMatches('abcdef', 'abcde')).toBe(false);
    expect(tokenMatches('abcdef', undefined)).toBe(false);
  });

  it('reads the token among the offered subprotocols', () => {
    const req = (value?: string) =>
      ({
        headers: value === undefined ? {} : { 'sec-websocket-protocol': value },
      }) as unknown as IncomingMessage;
    expect(offeredToken(req('nnb.v1, nnb.token.abc'))).toBe('abc');
    expect(offeredToken(req('nnb.token.abc,nnb.v1'))).toBe('abc');
    expect(offeredToken(req('nnb.v1'))).toBeUndefined();
    expect(offeredToken(req())).toBeUndefined();
  });
});
