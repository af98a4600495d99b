// A Train all's runs side by side, with real workers through the handlers both hosts share: up
// to min(group size, groupRuns) of one group train at once; nothing else ever trains beside
// them; first come, first served.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatchEngineRequest, type EngineReply } from '../../src/api/engineDispatch.js';
import type { TrainEvent } from '../../src/api/training.js';
import { groupRunsFrom, TrainingService } from '../../src/engine/service/TrainingService.js';
import { sharedHandlers } from '../../src/server/engineHandlers.js';
import { TemplateStore } from '../../src/server/templateStore.js';
import { TEMPLATES, tempDir, template } from './trainHelpers.js';

// Two at once whatever this machine's cores (the default is cores − 1).
const service = new TrainingService({ groupRuns: 2 });
const events: TrainEvent[] = [];
service.onEvent((e) => events.push(e));
const handlers = sharedHandlers({
  templates: new TemplateStore(TEMPLATES),
  training: async () => service,
  noEngine: 'no engine',
  runsDir: join(realpathSync(tempDir('nnb-groups-')), 'runs'),
});
const call = (method: string, params: unknown): Promise<EngineReply> =>
  dispatchEngineRequest(handlers as Parameters<typeof dispatchEngineRequest>[0], {
    method,
    params,
  });
const config = { backend: 'cpu', epochs: 1, batchSize: 32, maxTrainSamples: 256 };
async function start(group?: { id: string; size: number }): Promise<string> {
  const reply = await call('train.start', { graph: template('mlp-digits'), config, group });
  if (!reply.ok) throw new Error(reply.error);
  return (reply.result as { runId: string }).runId;
}
const internals = () => service as unknown as { active: Set<string>; queue: unknown[] };
const at = (runId: string, type: TrainEvent['type']) =>
  events.findIndex((e) => e.runId === runId && e.type === type);

afterAll(() => service.dispose());

describe('Train all groups (real workers)', () => {
  it('trains a group two at a time, alone; later runs wait their turn', async () => {
    const group = { id: 'compare-1', size: 3 };
    const [g1, g2, g3] = [await start(group), await start(group), await start(group)];
    const alone = await start();
    const other = await start({ id: 'compare-2', size: 2 });
    // Launched at once: two of the group; the third, the lone run and another group wait.
    expect([...internals().active]).toEqual([g1, g2]);
    expect(internals().queue).toHaveLength(3);
    await expect
      .poll(() => events.filter((e) => e.type === 'finished').length, { timeout: 120_000 })
      .toBe(5);
    for (const id of [g1, g2, g3, alone, other]) expect(at(id, 'error')).toBe(-1);
    // g1 and g2 overlapped; g3 started only once one of them ended; the lone run only after the
    // whole group; the other group only after the lone run.
    expect(at(g2, 'started')).toBeLessThan(Math.min(at(g1, 'finished'), at(g2, 'finished')));
    expect(at(g3, 'started')).toBeGreaterThan(Math.min(at(g1, 'finished'), at(g2, 'finished')));
    const groupEnd = Math.max(at(g1, 'finished'), at(g2, 'finished'), at(g3, 'finished'));
    expect(at(alone, 'started')).toBeGreaterThan(groupEnd);
    expect(at(other, 'started')).toBeGreaterThan(at(alone, 'finished'));
    expect(events.find((e) => e.runId === g3 && e.type === 'warning')).toMatchObject({
      message: expect.stringContaining(
        'NN Builder trains one network at a time (this Train all: 2 networks)',
      ),
    });
  }, 180_000);

  it('is cores − 1 wide by default, or NNB_TRAIN_GROUP_RUNS', () => {
    expect([16, 4, 2, 1].map((cores) => groupRunsFrom({}, cores))).toEqual([15, 3, 1, 1]);
    expect(groupRunsFrom({ NNB_TRAIN_GROUP_RUNS: '2' }, 2)).toBe(2);
    for (const bad of ['0', '1.5', 'many', ''])
      expect(groupRunsFrom({ NNB_TRAIN_GROUP_RUNS: bad }, 8)).toBe(7);
  });

  it('refuses a malformed group, naming the field', async () => {
    const reply = await call('train.start', {
      graph: template('mlp-digits'),
      config,
      group: { id: 'a b', size: 0 },
    });
    expect(reply.ok).toBe(false);
    expect(reply.ok ? '' : reply.error).toMatch(/params\.group\.id: a group id/);
  });
});
