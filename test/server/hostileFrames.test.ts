import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { WebSocket } from 'ws';
import { MAX_MESSAGE_BYTES } from '../../src/server/webServer.js';
import {
  apiUrl,
  expectAlive,
  frame,
  protocols,
  rawExchange,
  spawnTestServer,
  textFrame,
  type RawOutcome,
} from './serverHarness.js';

// Issue 16: one `null` frame or one protocol error used to end the whole server, and every
// training run with it. Each hostile input below goes to a real server over a real socket;
// afterwards a good request on a new connection must be answered, and a window that was
// connected all along must still be served. The server runs in its own process, so a crash
// ends it for real.

let server: Awaited<ReturnType<typeof spawnTestServer>>;
let bystander: WebSocket;
const bystanderReplies: string[] = [];

beforeAll(async () => {
  server = await spawnTestServer();
  bystander = new WebSocket(apiUrl(server), protocols(server.token));
  bystander.on('message', (data: Buffer) => bystanderReplies.push(data.toString()));
  await new Promise((resolve) => bystander.once('open', resolve));
});
afterAll(async () => {
  bystander.close();
  await server.stop();
});

const answered = (o: RawOutcome) => o.texts.length > 0;

describe('JSON that is no request is answered, the connection stays open', () => {
  const cases: [string, string, RegExp][] = [
    ['null', 'null', /expected an object/],
    ['a number', '42', /expected an object/],
    ['a string', '"host.info"', /expected an object/],
    ['an array', '[1, "host.info"]', /expected an object/],
    ['true', 'true', /expected an object/],
    ['an object without id', '{"method":"host.info"}', /"id" must be an integer/],
    ['a string id', '{"id":"1","method":"host.info"}', /"id" must be an integer/],
    ['a fractional id', '{"id":1.5,"method":"host.info"}', /"id" must be an integer/],
    ['a huge id', '{"id":1e300,"method":"host.info"}', /"id" must be an integer/],
    ['malformed JSON', '{"id":1,', /not JSON/],
    ['an empty message', '', /not JSON/],
    ['a prototype key', '{"id":1,"__proto__":{"method":"host.info"}}', /invalid request/],
  ];
  it.each(cases)('%s', async (_name, text, error) => {
    const outcome = await rawExchange(server, [textFrame(text)], { until: answered });
    expect(outcome.texts).toHaveLength(1);
    const reply = JSON.parse(outcome.texts[0] ?? '') as { ok: boolean; error: string };
    expect(reply.ok).toBe(false);
    expect(reply.error).toMatch(error);
    expect(outcome.closeCode).toBeUndefined();
    await expectAlive(server);
  });

  it('an object with an id but no method names the methods', async () => {
    const outcome = await rawExchange(server, [textFrame('{"id":3}')], { until: answered });
    expect(JSON.parse(outcome.texts[0] ?? '')).toMatchObject({
      id: 3,
      ok: false,
      error: expect.stringContaining('methods: host.info'),
    });
    await expectAlive(server);
  });
});

describe('protocol violations close that one connection with the reason code', () => {
  const closed = (o: RawOutcome) => o.closeCode !== undefined || o.ended;
  const cases: [string, () => Buffer[], number][] = [
    // The header alone claims more than maxPayload: refused before any of it is buffered.
    [
      'a frame over maxPayload',
      () => [frame(1, Buffer.alloc(0), { claimedLength: MAX_MESSAGE_BYTES + 1 })],
      1009,
    ],
    [
      'fragments adding up to more than maxPayload',
      () => [
        frame(1, Buffer.alloc(20, 0x20), { fin: false }),
        frame(0, Buffer.alloc(0), { fin: false, claimedLength: MAX_MESSAGE_BYTES - 10 }),
      ],
      1009,
    ],
    [
      'invalid UTF-8 in a text frame',
      () => [frame(1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
      1007,
    ],
    ['a reserved opcode', () => [frame(3, Buffer.from('{}'))], 1002],
    ['a reserved control opcode', () => [frame(11, Buffer.from('x'))], 1002],
    ['an unmasked client frame', () => [frame(1, Buffer.from('null'), { masked: false })], 1002],
    ['reserved bits set', () => [frame(1, Buffer.from('{}'), { rsv: 4 })], 1002],
    ['a fragmented ping', () => [frame(9, Buffer.from('x'), { fin: false })], 1002],
    ['a ping over 125 bytes', () => [frame(9, Buffer.alloc(200, 1))], 1002],
    ['a continuation with nothing to continue', () => [frame(0, Buffer.from('{}'))], 1002],
    ['a binary frame', () => [frame(2, Buffer.from([0, 1, 2, 3]))], 1003],
  ];
  it.each(cases)('%s', async (_name, frames, code) => {
    const outcome = await rawExchange(server, frames(), { until: closed, waitMs: 3000 });
    expect(outcome.closeCode).toBe(code);
    expect(outcome.texts).toEqual([]);
    await expectAlive(server);
  });

  it('a client that vanishes mid-frame costs nothing', async () => {
    await rawExchange(server, [frame(1, Buffer.from('{"id":1'), { claimedLength: 5000 })], {
      waitMs: 100,
    });
    await expectAlive(server);
  });
});

/** Raw bytes to the HTTP port; what comes back before the server ends the socket. */
function rawHttp(text: string): Promise<string> {
  const { port } = new URL(server.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    let reply = '';
    const done = () => (socket.destroy(), resolve(reply));
    const timer = setTimeout(done, 1500);
    socket.on('data', (c: Buffer) => (reply += c.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => (clearTimeout(timer), done()));
  });
}

describe('malformed HTTP and handshakes get an HTTP error, the server lives on', () => {
  const upgradeHead = (port: string, lines: string[]) =>
    [
      'GET /api HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      ...lines,
      '',
      '',
    ].join('\r\n');
  it.each([
    ['garbage instead of HTTP', () => 'NOT HTTP AT ALL\r\n\r\n', /^HTTP\/1\.1 400/],
    [
      'a header over the size limit',
      () => `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
      /^HTTP\/1\.1 431/,
    ],
    [
      'an upgrade with the token but no Sec-WebSocket-Key',
      () =>
        upgradeHead(new URL(server.url).port, [
          'Sec-WebSocket-Version: 13',
          `Sec-WebSocket-Protocol: ${protocols(server.token).join(', ')}`,
        ]),
      /^HTTP\/1\.1 400/,
    ],
    [
      'an upgrade with an unknown WebSocket version',
      () =>
        upgradeHead(new URL(server.url).port, [
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version: 99',
          `Sec-WebSocket-Protocol: ${protocols(server.token).join(', ')}`,
        ]),
      /^HTTP\/1\.1 400/,
    ],
  ])('%s', async (_name, text, status) => {
    expect(await rawHttp(text())).toMatch(status);
    await expectAlive(server);
  });
});

describe('after all of it', () => {
  it('the window connected all along is still served, events included', async () => {
    bystanderReplies.length = 0;
    bystander.send(JSON.stringify({ id: 99, method: 'host.info', params: {} }));
    expect(server.exited()).toBe(false);
    server.emit({ type: 'warning', runId: 'run-1', message: 'still here' });
    await expect.poll(() => bystanderReplies.length).toBe(2);
    expect(bystanderReplies.map((t) => JSON.parse(t) as unknown)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 99, ok: true }),
        expect.objectContaining({ channel: 'train.event' }),
      ]),
    );
  });
});
