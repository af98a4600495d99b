// The paths a request carries, through the handlers both hosts share, against real folders: runs
// stay in the runs folder, datasets in the folders the user picked, and refusals tell nothing
// about what lies outside.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineHandlers } from '../../src/api/engineDispatch.js';
import { dispatchEngineRequest } from '../../src/api/engineDispatch.js';
import type { TrainConfig, TrainingApi } from '../../src/api/training.js';
import { spawnSync } from 'node:child_process';
import { sharedHandlers } from '../../src/server/engineHandlers.js';
import { webHandlers } from '../../src/server/webHandlers.js';
import { TemplateStore } from '../../src/server/templateStore.js';
import { template } from '../engine/trainHelpers.js';

/** <base>/runs/run-a (a run), <base>/outside (another user's folder that looks like a run),
 * <base>/data/digits (a picked dataset folder), links from inside both to outside. */
function folders() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'nnb-handlers-')));
  const runs = join(base, 'runs');
  const data = join(base, 'data');
  const outside = join(base, 'outside');
  for (const dir of [join(runs, 'run-a', 'last'), join(outside, 'last'), join(data, 'digits')]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(join(runs, 'run-a', 'last', 'model.json'), '{}');
  writeFileSync(join(outside, 'last', 'model.json'), '{}');
  mkdirSync(join(outside, 'private-subfolder'));
  symlinkSync(outside, join(runs, 'run-link'));
  symlinkSync(outside, join(data, 'link-out'));
  return { base, runs, data, outside };
}

/** A training engine double that records what reaches it. */
function recorder() {
  const started: TrainConfig[] = [];
  const predicted: string[] = [];
  const api: TrainingApi = {
    start: async (_graph, config) => {
      started.push(config as TrainConfig);
      return { runId: `run-${started.length}` };
    },
    pause: async () => {},
    resume: async () => {},
    stop: async () => {},
    predict: async (run) => {
      predicted.push(run);
      return { classes: ['a', 'b'], probabilities: [0.5, 0.5], top: 0 };
    },
    onEvent: () => () => {},
  };
  return { api, started, predicted };
}

function handlersFor(
  dirs: ReturnType<typeof folders>,
  api: TrainingApi,
  extra: Partial<Parameters<typeof sharedHandlers>[0]> = {},
) {
  const shared = sharedHandlers({
    templates: new TemplateStore(join(import.meta.dirname, '..', '..', 'templates')),
    training: async () => api,
    noEngine: 'no engine',
    runsDir: dirs.runs,
    datasetFolders: () => [dirs.data],
    datasetHint: 'Start the server with --data <folder>.',
    ...extra,
  });
  const call = (method: string, params: unknown) =>
    dispatchEngineRequest(shared as EngineHandlers, { method, params });
  return call;
}

const graph = template('mlp-digits');
const image = { width: 2, height: 2, channels: 1, data: [0, 0, 0, 0] };

describe('shared handlers confine paths', () => {
  it('resumes only runs inside the runs folder, never a look-alike outside or a link to it', async () => {
    const dirs = folders();
    const { api, started } = recorder();
    const call = handlersFor(dirs, api);
    const before = readdirSync(dirs.outside).sort();
    for (const resumeFrom of [dirs.outside, join(dirs.runs, 'run-link'), '../outside', dirs.runs]) {
      const reply = await call('train.start', { graph, config: { resumeFrom } });
      expect(reply, resumeFrom).toMatchObject({ ok: false });
      expect(reply.ok ? '' : reply.error).toContain(`is not inside ${dirs.runs}`);
    }
    expect(started).toHaveLength(0);
    expect(readdirSync(dirs.outside).sort()).toEqual(before);
    // A run inside, by path or by id, reaches the engine as its real path; outDir is the runs folder.
    for (const resumeFrom of [join(dirs.runs, 'run-a'), 'run-a']) {
      const reply = await call('train.start', { graph, config: { resumeFrom, outDir: '/etc' } });
      expect(reply).toMatchObject({ ok: true });
    }
    expect(started.map((c) => [c.resumeFrom, c.outDir])).toEqual([
      [join(dirs.runs, 'run-a'), dirs.runs],
      [join(dirs.runs, 'run-a'), dirs.runs],
    ]);
  });

  it('predicts only with runs inside the runs folder', async () => {
    const dirs = folders();
    const { api, predicted } = recorder();
    const call = handlersFor(dirs, api);
    for (const run of [dirs.outside, 'run-link', join(dirs.runs, '..', 'outside'), '/']) {
      const reply = await call('train.predict', { run, image });
      expect(reply.ok ? '' : reply.error, run).toMatch(
        /^train\.predict: The run ".*" is not inside/,
      );
    }
    expect(await call('train.predict', { run: 'no-such-run', image })).toEqual({
      ok: false,
      error: 'train.predict: The run "no-such-run" does not exist.',
    });
    expect(await call('train.predict', { run: 'run-a', image })).toMatchObject({ ok: true });
    expect(await call('train.predict', { run: join(dirs.runs, 'run-a'), image })).toMatchObject({
      ok: true,
    });
    expect(predicted).toEqual([join(dirs.runs, 'run-a'), join(dirs.runs, 'run-a')]);
    // A run started here is found by its id, in the folder it trains in.
    const { result } = (await call('train.start', { graph, config: {} })) as {
      result: { runId: string };
    };
    mkdirSync(join(dirs.runs, result.runId));
    expect(await call('train.predict', { run: result.runId, image })).toMatchObject({ ok: true });
    expect(predicted.at(-1)).toBe(join(dirs.runs, result.runId));
  });

  it('reads datasets only from picked folders, and says nothing of what is outside', async () => {
    const dirs = folders();
    const { api, started } = recorder();
    const call = handlersFor(dirs, api);
    for (const path of [dirs.outside, join(dirs.data, 'link-out'), join(dirs.outside, 'nothing')]) {
      const reply = await call('train.start', {
        graph,
        config: { dataset: { kind: 'image-folder', path } },
      });
      const error = reply.ok ? '' : reply.error;
      expect(error).toBe(
        `train.start: The dataset folder "${path}" is not inside ${dirs.data}; only paths inside it are accepted. Start the server with --data <folder>.`,
      );
      expect(error).not.toContain('private-subfolder');
    }
    expect(started).toHaveLength(0);
    const ok = await call('train.start', {
      graph,
      config: { dataset: { kind: 'idx', path: join(dirs.data, 'digits') } },
    });
    expect(ok).toMatchObject({ ok: true });
    expect(started[0]?.dataset).toEqual({ kind: 'idx', path: join(dirs.data, 'digits') });
    // The built-in digits need no folder at all.
    expect(await call('train.start', { graph, config: {} })).toMatchObject({ ok: true });
  });

  it('refuses every dataset path when no folder was picked (web mode without --data)', async () => {
    const dirs = folders();
    const { api } = recorder();
    const call = handlersFor(dirs, api, { datasetFolders: () => [] });
    const reply = await call('train.start', {
      graph,
      config: { dataset: { kind: 'idx', path: join(dirs.data, 'digits') } },
    });
    expect(reply.ok ? '' : reply.error).toMatch(/not inside the folders chosen for it \(none/);
  });

  it('asks the desktop user to choose the folder, and uses only what was chosen', async () => {
    const dirs = folders();
    const { api, started } = recorder();
    const picked: string[] = [];
    const asked: string[] = [];
    let answer: string | null = null;
    const call = handlersFor(dirs, api, {
      datasetFolders: () => picked,
      chooseDatasetFolder: async (requested) => {
        asked.push(requested);
        if (answer !== null) picked.push(answer);
        return answer;
      },
    });
    const config = { dataset: { kind: 'idx', path: dirs.outside } };
    expect(await call('train.start', { graph, config })).toMatchObject({ ok: false });
    answer = join(dirs.data, 'digits');
    expect(await call('train.start', { graph, config })).toMatchObject({ ok: true });
    expect(asked).toEqual([dirs.outside, dirs.outside]);
    expect(started.map((c) => c.dataset)).toEqual([{ kind: 'idx', path: answer }]);
  });

  it('web mode reads datasets from the --data folders only', async () => {
    const dirs = folders();
    const { api, started } = recorder();
    const handlers = webHandlers({
      version: '0.0.0',
      templates: new TemplateStore(join(import.meta.dirname, '..', '..', 'templates')),
      training: async () => api,
      trainingAvailable: () => true,
      runsDir: dirs.runs,
      dataFolders: [dirs.data],
    });
    const start = (path: string) =>
      dispatchEngineRequest(handlers, {
        method: 'train.start',
        params: { graph, config: { dataset: { kind: 'cifar10', path } } },
      });
    expect(await start(join(dirs.data, 'digits'))).toMatchObject({ ok: true });
    const refused = await start(join(dirs.outside, 'private-subfolder'));
    expect(refused.ok ? '' : refused.error).toContain('Start the web server with --data <folder>');
    expect(started).toHaveLength(1);
  });

  it('the web server refuses a --data that is not a folder, before starting', () => {
    const main = join(import.meta.dirname, '..', '..', 'src', 'server', 'main.ts');
    const missing = join(tmpdir(), 'nnb-no-such-data-folder');
    const result = spawnSync(process.execPath, ['--import', 'tsx', main, '--data', missing], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.stderr).toContain(`nnb-web: --data ${missing} is not a folder`);
    expect(result.status).toBe(2);
  });
});
