// The desktop host's own handlers with Electron's dialog replaced by a scripted one: saves replace
// the user's file in one rename, and dataset folders come only from the folder dialog.
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { dispatchEngineRequest } from '../../src/api/engineDispatch.js';
import type { TrainConfig, TrainingApi } from '../../src/api/training.js';
import { TemplateStore } from '../../src/server/templateStore.js';
import { template } from '../engine/trainHelpers.js';

const dialogAnswers = vi.hoisted(() => ({
  open: [] as { canceled: boolean; filePaths: string[] }[],
  openOptions: [] as unknown[],
}));
vi.mock('electron', () => ({
  dialog: {
    showOpenDialog: async (_window: unknown, options: unknown) => {
      dialogAnswers.openOptions.push(options);
      return dialogAnswers.open.shift() ?? { canceled: true, filePaths: [] };
    },
    showSaveDialog: async () => ({ canceled: true }),
  },
}));

const { desktopHandlers } = await import('../../electron/desktopHandlers.js');
const { FileAllowList } = await import('../../electron/FileAllowList.js');

function setup() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'nnb-desktop-')));
  const started: TrainConfig[] = [];
  const training: TrainingApi = {
    start: async (_graph, config) => (started.push(config as TrainConfig), { runId: 'run-1' }),
    pause: async () => {},
    resume: async () => {},
    stop: async () => {},
    predict: async () => ({ classes: [], probabilities: [], top: 0 }),
    onEvent: () => () => {},
  };
  const allowed = new FileAllowList(join(base, 'allowed-files.json'));
  const handlers = desktopHandlers({
    version: '0.0.0',
    window: () => ({}) as never,
    templates: new TemplateStore(join(import.meta.dirname, '..', '..', 'templates')),
    allowed,
    training: async () => training,
    trainingAvailable: () => true,
    runsDir: join(base, 'runs'),
  });
  const call = (method: string, params: unknown) =>
    dispatchEngineRequest(handlers, { method, params });
  return { base, allowed, call, started };
}

beforeEach(() => {
  dialogAnswers.open.length = 0;
  dialogAnswers.openOptions.length = 0;
});

describe('desktop handlers', () => {
  it('saves over a graph the user chose by writing a new file and renaming it into place', async () => {
    const { base, allowed, call } = setup();
    const target = join(base, 'my.nnb.json');
    writeFileSync(target, '{"old": true}');
    await allowed.add(target);
    const inodeBefore = statSync(target).ino;
    const reply = await call('files.save', {
      path: target,
      suggestedName: 'my.nnb.json',
      text: '{"new": true}',
    });
    expect(reply).toEqual({ ok: true, result: { path: target } });
    expect(readFileSync(target, 'utf8')).toBe('{"new": true}');
    // A new inode: the old file was never opened for writing, so a failed write cannot truncate it.
    expect(statSync(target).ino).not.toBe(inodeBefore);
    expect(readdirSync(base).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('trains on a dataset folder only once the user chose it in the folder dialog', async () => {
    const { base, allowed, call, started } = setup();
    const data = join(base, 'mnist');
    mkdirSync(data);
    const graph = template('mlp-digits');
    const config = { dataset: { kind: 'idx', path: data } };
    // Cancelled: refused, nothing allowed.
    const refused = await call('train.start', { graph, config });
    expect(refused.ok ? '' : refused.error).toContain(
      `The dataset folder "${data}" is not inside the folders chosen for it (none has been chosen). Choose it in the folder dialog`,
    );
    expect(dialogAnswers.openOptions[0]).toMatchObject({
      defaultPath: data,
      properties: ['openDirectory'],
    });
    // Chosen: allowed from now on, remembered across launches, no second dialog.
    dialogAnswers.open.push({ canceled: false, filePaths: [data] });
    expect(await call('train.start', { graph, config })).toMatchObject({ ok: true });
    expect(await call('train.start', { graph, config })).toMatchObject({ ok: true });
    expect(dialogAnswers.openOptions).toHaveLength(2);
    expect(started.map((c) => c.dataset)).toEqual([config.dataset, config.dataset]);
    const reloaded = new FileAllowList(join(base, 'allowed-files.json'));
    await reloaded.load();
    expect(reloaded.folders()).toEqual([data]);
    expect(allowed.folders()).toEqual([data]);
  });

  it('reads the allow-list of older versions (a bare array of files)', async () => {
    const base = mkdtempSync(join(tmpdir(), 'nnb-allow-'));
    writeFileSync(join(base, 'list.json'), JSON.stringify(['/home/u/a.nnb.json', 3]));
    const list = new FileAllowList(join(base, 'list.json'));
    await list.load();
    expect(list.has('/home/u/a.nnb.json')).toBe(true);
    expect(list.folders()).toEqual([]);
  });
});
