import { describe, expect, it } from 'vitest';
import { createEngineClient, type EngineTransport } from '../../src/api/engineClient.js';
import type { TrainEvent } from '../../src/api/training.js';

/** A transport double: answers train.start with run ids, pushes events, can close. */
function fakeTransport() {
  const events = new Set<(channel: string, payload: unknown) => void>();
  const closes = new Set<() => void>();
  let next = 0;
  const transport: EngineTransport = {
    async call(method) {
      if (method === 'train.start') return { runId: `run-${++next}` };
      throw new Error(`unexpected ${method}`);
    },
    onEvent(listener) {
      events.add(listener);
      return () => events.delete(listener);
    },
    onClose(listener) {
      closes.add(listener);
      return () => closes.delete(listener);
    },
  };
  return {
    transport,
    push: (event: TrainEvent) => events.forEach((l) => l('train.event', event)),
    close: () => closes.forEach((l) => l()),
  };
}

const graph = {
  format: 'nnb-graph' as const,
  version: 1 as const,
  nodes: [{ id: 'input', type: 'Input', params: { shape: [1, 28, 28] } }],
  edges: [],
};
const finished = (runId: string): TrainEvent => ({
  type: 'finished',
  runId,
  reason: 'completed',
  runDir: 'runs/x',
  bestValAccuracy: 0.9,
  bestEpoch: 1,
  epochsCompleted: 1,
});

describe('a closed connection ends the runs still waiting for events', () => {
  it('gives each unfinished run a disconnected error, and none to finished ones', async () => {
    const fake = fakeTransport();
    const client = createEngineClient(fake.transport);
    const seen: TrainEvent[] = [];
    client.training.onEvent((e) => seen.push(e));
    const a = await client.training.start(graph, {});
    const b = await client.training.start(graph, {});
    fake.push(finished(a.runId));
    fake.close();
    const errors = seen.filter((e) => e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ runId: b.runId, code: 'disconnected' });
    // Once reported, a second close says nothing more.
    fake.close();
    expect(seen.filter((e) => e.type === 'error')).toHaveLength(1);
  });

  it('an unsubscribed listener hears nothing', async () => {
    const fake = fakeTransport();
    const client = createEngineClient(fake.transport);
    const seen: TrainEvent[] = [];
    const off = client.training.onEvent((e) => seen.push(e));
    await client.training.start(graph, {});
    off();
    fake.close();
    expect(seen).toEqual([]);
  });
});
