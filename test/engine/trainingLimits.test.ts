// The training service's limits with real workers, through the handlers both hosts share: one run
// trains at a time (the rest wait in line, a bounded line), the predictor cache holds one model
// per real run folder and a bounded number of them, and resume writes only into the runs folder.
import { cpSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatchEngineRequest, type EngineReply } from '../../src/api/engineDispatch.js';
import type { TrainEvent } from '../../src/api/training.js';
import { TrainingService } from '../../src/engine/service/TrainingService.js';
import { sharedHandlers } from '../../src/server/engineHandlers.js';
import { TemplateStore } from '../../src/server/templateStore.js';
import { TEMPLATES, tempDir, template } from './trainHelpers.js';

const base = realpathSync(tempDir('nnb-limits-'));
const runsDir = join(base, 'runs');
const service = new TrainingService({ queuedRuns: 2, predictors: 2 });
const events: TrainEvent[] = [];
service.onEvent((e) => events.push(e));
const handlers = sharedHandlers({
  templates: new TemplateStore(TEMPLATES),
  training: async () => service,
  noEngine: 'no engine',
  runsDir,
});
const call = (method: string, params: unknown): Promise<EngineReply> =>
  dispatchEngineRequest(handlers as Parameters<typeof dispatchEngineRequest>[0], {
    method,
    params,
  });
const graph = template('mlp-digits');
const tiny = {
  backend: 'cpu',
  epochs: 1,
  batchSize: 32,
  maxTrainSamples: 64,
  maxValidationSamples: 32,
};
const image = { width: 28, height: 28, channels: 1 as const, data: new Array<number>(784).fill(0) };

async function start(config: object = tiny): Promise<string> {
  const reply = await call('train.start', { graph, config });
  if (!reply.ok) throw new Error(reply.error);
  return (reply.result as { runId: string }).runId;
}
const ended = (runId: string) =>
  expect
    .poll(
      () => events.find((e) => e.runId === runId && (e.type === 'finished' || e.type === 'error')),
      {
        timeout: 60_000,
        interval: 200,
      },
    )
    .toBeDefined();
const predictorCount = () =>
  (service as unknown as { predictors: { size: number } }).predictors.size;

afterAll(() => service.dispose());

describe('training limits (real workers)', () => {
  let first = '';
  let second = '';

  it('trains one run at a time; later ones wait in a bounded line, and a waiting one can be stopped', async () => {
    first = await start();
    second = await start();
    const third = await start();
    const refused = await call('train.start', { graph, config: tiny });
    expect(refused).toEqual({
      ok: false,
      error: `train.start: 2 runs are already waiting behind run ${first}; NN Builder trains one network at a time. Stop a run or wait for one to finish, then start again.`,
    });
    await expect.poll(() => events.some((e) => e.runId === third)).toBe(true);
    await call('train.stop', { runId: third });
    await ended(first);
    await ended(second);
    const of = (runId: string) => events.filter((e) => e.runId === runId).map((e) => e.type);
    expect(of(third)).toEqual(['warning', 'finished']);
    expect(events.find((e) => e.runId === third && e.type === 'finished')).toMatchObject({
      reason: 'stopped',
      epochsCompleted: 0,
    });
    expect(events.find((e) => e.runId === second && e.type === 'warning')).toMatchObject({
      message: `Waiting: run ${first} is training and NN Builder trains one network at a time; this run starts when a slot frees up (1 in line).`,
    });
    // Never two runs between their start and their end.
    let running = 0;
    let most = 0;
    for (const e of events) {
      if (e.type === 'started') most = Math.max(most, ++running);
      if (e.type === 'finished' && e.epochsCompleted > 0) running--;
    }
    expect(most).toBe(1);
    expect(events.filter((e) => e.type === 'finished' && e.reason === 'completed')).toHaveLength(2);
  });

  it('caches one model per real run folder however it is spelled, and a bounded number', async () => {
    const spellings = [
      first,
      join(runsDir, first),
      join(runsDir, '.', first),
      join(runsDir, '..', 'runs', first),
      `${join(runsDir, first)}/`,
      join(runsDir, first, '.'),
    ];
    for (let i = 0; i < 9; i++) {
      symlinkSync(join(runsDir, first), join(runsDir, `alias-${i}`));
      spellings.push(`alias-${i}`);
    }
    for (const run of spellings) {
      expect(await call('train.predict', { run, image }), run).toMatchObject({ ok: true });
      // The service keys by real path itself too (the handlers already pass one).
      await service.predict(run.startsWith('/') ? run : join(runsDir, run), image);
    }
    expect(predictorCount()).toBe(1);
    // Distinct runs: the least recently used model is released beyond the limit (2 here).
    cpSync(join(runsDir, first), join(runsDir, 'copy-of-first'), { recursive: true });
    for (const run of [second, 'copy-of-first', first]) {
      expect(await call('train.predict', { run, image })).toMatchObject({ ok: true });
      expect(predictorCount()).toBeLessThanOrEqual(2);
    }
    expect(predictorCount()).toBe(2);
    // An image to classify is size-checked before any pixel is copied.
    const huge = { width: 5000, height: 5000, channels: 1 as const, data: new Uint8Array(25e6) };
    await expect(service.predict(join(runsDir, first), huge)).rejects.toThrow(
      'The image to classify is 5000×5000 pixels (25.0 Mpx); images up to 16.8 Mpx',
    );
  });

  it('resumes only runs in the runs folder: a copy outside, or a link to it, is left untouched', async () => {
    const outside = join(base, 'outside-copy');
    cpSync(join(runsDir, first), outside, { recursive: true });
    symlinkSync(outside, join(runsDir, 'link-out'));
    const listing = () => readdirSync(outside, { recursive: true }).sort();
    const before = listing();
    for (const resumeFrom of [outside, join(runsDir, 'link-out'), 'link-out']) {
      const reply = await call('train.start', { graph, config: { ...tiny, resumeFrom } });
      expect(reply.ok ? '' : reply.error).toContain(`is not inside ${runsDir}`);
    }
    expect(listing()).toEqual(before);
    const resumed = await start({ ...tiny, resumeFrom: first });
    await ended(resumed);
    expect(events.find((e) => e.runId === resumed && e.type === 'started')).toMatchObject({
      firstEpoch: 2,
      runDir: join(runsDir, first),
    });
  });
});
