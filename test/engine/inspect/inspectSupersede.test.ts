import { afterAll, describe, expect, it } from 'vitest';
import { SUPERSEDED } from '../../../src/api/inspect.js';
import { InspectWorkerClient } from '../../../src/engine/inspect/InspectWorkerClient.js';
import { template, tempDir } from '../trainHelpers.js';
import { asInput } from './inspectHelpers.js';

// A real worker thread: the dropped requests are the ones its queue never hands over.
const client = new InspectWorkerClient(tempDir());
afterAll(() => client.dispose());

const source = { kind: 'graph' as const, graph: template('lenet-5'), seed: 42 };
const settled = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error: error.message }),
  );

describe('InspectWorkerClient lanes', () => {
  it('drops the outdated requests of a lane: waiting ones unsent, a computing one unanswered', async () => {
    const { samples } = await client.samples({ dataset: { kind: 'digits' }, count: 3 });
    const image = (i: number) => asInput(samples[i]!.image);
    const before = client.stats();
    const ask = (i: number, node: string, lane?: string) =>
      settled(
        client.activations({ source, node, image: image(i), ...(lane !== undefined && { lane }) }),
      );
    // #1 goes to the worker at once; #2 waits behind it; #3 supersedes both. Another lane and
    // a request without a lane are untouched.
    const first = ask(0, 'conv1', 'maps');
    const other = ask(1, 'conv2', 'classify');
    const second = ask(1, 'conv1', 'maps');
    const noLane = ask(2, 'relu1');
    const third = ask(2, 'conv1', 'maps');
    const results = await Promise.all([first, other, second, noLane, third]);
    const [r1, rOther, r2, rNoLane, r3] = results;
    expect(r1).toEqual({ ok: false, error: `${SUPERSEDED}.` });
    expect(r2).toEqual({ ok: false, error: `${SUPERSEDED}.` });
    expect(rOther.ok && rNoLane.ok && r3.ok).toBe(true);
    expect(r3.ok && (r3.value as { node: string }).node).toBe('conv1');
    // Five asked, four sent: #2 was never computed.
    const after = client.stats();
    expect(after.sent - before.sent).toBe(4);
    expect(after.superseded - before.superseded).toBe(2);
  }, 120_000);

  it('answers the newest of a lane with its own input', async () => {
    const { samples } = await client.samples({ dataset: { kind: 'digits' }, count: 2 });
    const ask = (i: number) =>
      client.activations({ source, node: 'conv1', image: asInput(samples[i]!.image), lane: 'x' });
    const stale = settled(ask(0));
    const [last, alone] = await Promise.all([
      ask(1),
      client.activations({ source, node: 'conv1', image: asInput(samples[1]!.image) }),
    ]);
    expect((await stale).ok).toBe(false);
    expect(last.activation.data).toBe(alone.activation.data);
  }, 120_000);
});
