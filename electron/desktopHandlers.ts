import { dialog, type BrowserWindow } from 'electron';
import { readFile, realpath } from 'node:fs/promises';
import { basename } from 'node:path';
import type { InspectApi } from '../src/api/inspect.js';
import type { EngineHandlers } from '../src/api/engineDispatch.js';
import type { TrainingApi } from '../src/api/training.js';
import { hardwareGpu } from '../src/engine/webgpu/adapterProbe.js';
import { writeFileAtomic } from '../src/io/writeFileAtomic.js';
import { sharedHandlers } from '../src/server/engineHandlers.js';
import type { TemplateStore } from '../src/server/templateStore.js';
import type { FileAllowList } from './FileAllowList.js';
import { OPEN_FILTERS, readModelFiles } from './modelFiles.js';

/** What Save writes: graphs only. */
const FILTERS = [{ name: 'NN Builder graph', extensions: ['nnb.json', 'json'] }];

/**
 * The EngineApi as the desktop host serves it: native dialogs for files (and a read-back only
 * of files the user chose in one), templates from the app folder, training in the engine on
 * dataset folders the user chose in a native dialog.
 */
export function desktopHandlers(options: {
  version: string;
  window: () => BrowserWindow | undefined;
  templates: TemplateStore;
  allowed: FileAllowList;
  /** The engine, loaded on first use (importing TensorFlow.js would slow the launch). */
  training: () => Promise<TrainingApi | undefined>;
  /** Whether training can work, without loading the engine to find out (host.info is hot). */
  trainingAvailable: () => boolean;
  runsDir: string;
  /** The "see inside" engine; by default loaded on first use, reading runs from `runsDir`. */
  inspect?: () => Promise<InspectApi>;
}): EngineHandlers {
  const { allowed } = options;
  const parent = () => {
    const w = options.window();
    if (w === undefined) throw new Error('no window to show the dialog on');
    return w;
  };
  /** The folder picker, opened when training asks for a dataset folder not chosen before. */
  const chooseDatasetFolder = async (requested: string): Promise<string | null> => {
    const chosen = await dialog.showOpenDialog(parent(), {
      title: 'Choose the dataset folder NN Builder may read',
      defaultPath: requested,
      buttonLabel: 'Train on this folder',
      properties: ['openDirectory'],
    });
    const path = chosen.filePaths[0];
    if (chosen.canceled || path === undefined) return null;
    const real = await realpath(path);
    await allowed.addFolder(real);
    return real;
  };
  return {
    ...sharedHandlers({
      ...options,
      noEngine: 'the training engine could not be loaded',
      datasetFolders: () => allowed.folders(),
      datasetHint: 'Choose it in the folder dialog to allow it.',
      chooseDatasetFolder,
    }),
    'host.info': async () => ({
      host: 'electron',
      version: options.version,
      fileDialogs: true,
      training: options.trainingAvailable(),
      gpu: options.trainingAvailable() ? await hardwareGpu() : null,
    }),
    'files.open': async () => {
      const chosen = await dialog.showOpenDialog(parent(), {
        // Several at once: a Keras model.json with its .bin files.
        properties: ['openFile', 'multiSelections'],
        filters: OPEN_FILTERS,
      });
      const path = chosen.filePaths[0];
      if (chosen.canceled || path === undefined) return null;
      // Model files go to the page as bytes, to import as a drop does; not re-read later.
      const model = await readModelFiles(chosen.filePaths);
      if (model !== null) return model;
      await allowed.add(path);
      return { path, text: await readFile(path, 'utf8') };
    },
    'files.read': async ({ path }) => {
      if (!allowed.has(path))
        throw new Error(`${basename(path)} was not opened or saved here; use File › Open`);
      return { path, text: await readFile(path, 'utf8') };
    },
    'files.save': async ({ path, suggestedName, text }) => {
      let target = path !== null && allowed.has(path) ? path : null;
      if (target === null) {
        const chosen = await dialog.showSaveDialog(parent(), {
          defaultPath: suggestedName,
          filters: FILTERS,
        });
        if (chosen.canceled || chosen.filePath === undefined) return null;
        target = chosen.filePath;
      }
      // Temp file, fsync, one rename: a full disk or a crash leaves the old graph whole.
      writeFileAtomic(target, text);
      await allowed.add(target);
      return { path: target };
    },
  };
}
