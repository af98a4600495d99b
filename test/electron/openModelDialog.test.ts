// The desktop Open dialog offers model files, and hands them to the page as bytes (the page
// imports them as it imports a drop); a Keras model.json brings the .bin files its manifest names.
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { dispatchEngineRequest } from '../../src/api/engineDispatch.js';
import type { TrainingApi } from '../../src/api/training.js';
import { TemplateStore } from '../../src/server/templateStore.js';

const dialog = vi.hoisted(() => ({
  answers: [] as { canceled: boolean; filePaths: string[] }[],
  options: [] as { filters?: { extensions: string[] }[]; properties?: string[] }[],
}));
vi.mock('electron', () => ({
  dialog: {
    showOpenDialog: async (_window: unknown, options: (typeof dialog.options)[number]) => {
      dialog.options.push(options);
      return dialog.answers.shift() ?? { canceled: true, filePaths: [] };
    },
    showSaveDialog: async () => ({ canceled: true }),
  },
}));

const { desktopHandlers } = await import('../../electron/desktopHandlers.js');
const { FileAllowList } = await import('../../electron/FileAllowList.js');
const { readModelFiles } = await import('../../electron/modelFiles.js');

function folder() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'nnb-open-model-')));
  writeFileSync(join(base, 'net.onnx'), Buffer.from([8, 7, 18, 3]));
  const manifest = [{ paths: ['group1-shard1of1.bin'], weights: [] }];
  writeFileSync(
    join(base, 'model.json'),
    JSON.stringify({ modelTopology: {}, weightsManifest: manifest }),
  );
  writeFileSync(join(base, 'group1-shard1of1.bin'), Buffer.from([1, 2, 3, 4]));
  writeFileSync(join(base, 'lenet.nnb.json'), '{"format":"nnb-graph"}');
  mkdirSync(join(base, 'runs'));
  return base;
}

describe('readModelFiles', () => {
  it('an .onnx file: its bytes', async () => {
    const base = folder();
    expect(await readModelFiles([join(base, 'net.onnx')])).toEqual({
      path: join(base, 'net.onnx'),
      files: [{ name: 'net.onnx', data: Buffer.from([8, 7, 18, 3]).toString('base64') }],
    });
  });

  it('a model.json: with the .bin files its manifest names, read from beside it', async () => {
    const base = folder();
    const model = await readModelFiles([join(base, 'model.json')]);
    expect(model?.files.map((f) => f.name)).toEqual(['model.json', 'group1-shard1of1.bin']);
    expect(model?.files[1]?.data).toBe(Buffer.from([1, 2, 3, 4]).toString('base64'));
  });

  it('a graph is not a model', async () => {
    const base = folder();
    expect(await readModelFiles([join(base, 'lenet.nnb.json')])).toBeNull();
  });
});

describe('File › Open in the desktop host', () => {
  it('offers .onnx and model.json, several files at once, and returns model files as bytes', async () => {
    const base = folder();
    const handlers = desktopHandlers({
      version: '0.0.0',
      window: () => ({}) as never,
      templates: new TemplateStore(join(import.meta.dirname, '..', '..', 'templates')),
      allowed: new FileAllowList(join(base, 'allowed.json')),
      training: async () => ({}) as TrainingApi,
      trainingAvailable: () => true,
      runsDir: join(base, 'runs'),
    });
    dialog.answers.push({ canceled: false, filePaths: [join(base, 'net.onnx')] });
    const reply = await dispatchEngineRequest(handlers, { method: 'files.open', params: {} });
    expect(reply).toMatchObject({ ok: true, result: { path: join(base, 'net.onnx') } });
    expect((reply as { result: { files: unknown[] } }).result.files).toHaveLength(1);
    const options = dialog.options.at(-1);
    const extensions = options?.filters?.flatMap((f) => f.extensions) ?? [];
    expect(extensions).toEqual(expect.arrayContaining(['onnx', 'json', 'bin', 'nnb.json']));
    expect(options?.properties).toContain('multiSelections');

    dialog.answers.push({ canceled: false, filePaths: [join(base, 'lenet.nnb.json')] });
    const graph = await dispatchEngineRequest(handlers, { method: 'files.open', params: {} });
    expect(graph).toMatchObject({ ok: true, result: { text: '{"format":"nnb-graph"}' } });
  });
});
