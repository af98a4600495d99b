import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ENGINE_METHODS } from '../../src/api/EngineApi.js';
import {
  apiUrl,
  expectAlive,
  frame,
  protocols,
  rawExchange,
  spawnTestServer,
} from './serverHarness.js';

// A fuzz test of the WebSocket API (issue 16): random messages and random frames, bounded in
// count (150 + 150) and time, against a server in its own process. Afterwards the server must
// still answer. NNB_FUZZ_SEED replays a run.
const SEED = Number(process.env.NNB_FUZZ_SEED ?? 16_2026);
const MESSAGES = 150;
const CONNECTIONS = 150;
const methods = Object.keys(ENGINE_METHODS);

let server: Awaited<ReturnType<typeof spawnTestServer>>;
beforeAll(async () => {
  server = await spawnTestServer();
});
afterAll(() => server.stop());

const message = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        id: fc.oneof(fc.integer(), fc.jsonValue()),
        method: fc.oneof(fc.constantFrom(...methods), fc.string()),
        params: fc.oneof(fc.jsonValue(), fc.constant({})),
      },
      { requiredKeys: [] },
    )
    .map((r) => JSON.stringify(r)),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const rawFrame = fc
  .record({
    opcode: fc.integer({ min: 0, max: 15 }),
    fin: fc.boolean(),
    rsv: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 7 })),
    masked: fc.oneof(fc.constant(true), fc.boolean()),
    payload: fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      message.map((text) => new Uint8Array(Buffer.from(text))),
    ),
    // Sometimes the length field lies, up to far beyond maxPayload.
    claimedLength: fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { freq: 3 }),
  })
  .map(({ payload, claimedLength, ...rest }) =>
    frame(rest.opcode, Buffer.from(payload), {
      ...rest,
      ...(claimedLength !== null && { claimedLength }),
    }),
  );

describe('WebSocket API fuzz', () => {
  it('answers each random message exactly once and keeps the connection', async () => {
    const started = Date.now();
    const texts = fc.sample(message, { numRuns: MESSAGES, seed: SEED });
    const ws = new WebSocket(apiUrl(server), protocols(server.token));
    const replies: unknown[] = [];
    ws.on('message', (data: Buffer) => replies.push(JSON.parse(data.toString())));
    await new Promise((resolve) => ws.once('open', resolve));
    for (const text of texts) ws.send(text);
    await expect.poll(() => replies.length, { timeout: 10_000 }).toBe(MESSAGES);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    for (const reply of replies) expect(reply).toHaveProperty('ok');
    ws.close();
    await expectAlive(server);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 25_000);

  it('survives random frames on raw connections', async () => {
    const started = Date.now();
    const batches = fc.sample(fc.array(rawFrame, { minLength: 1, maxLength: 4 }), {
      numRuns: CONNECTIONS,
      seed: SEED,
    });
    for (let i = 0; i < batches.length; i += 10) {
      await Promise.all(
        batches.slice(i, i + 10).map((frames) =>
          rawExchange(server, frames, {
            waitMs: 200,
            until: (o) => o.closeCode !== undefined,
          }),
        ),
      );
    }
    expect(server.exited()).toBe(false);
    await expectAlive(server);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 25_000);
});
