import type { InspectApi } from '../api/inspect.js';
import type { EngineHandlers } from '../api/engineDispatch.js';
import type { TrainingApi } from '../api/training.js';
import { hardwareGpu } from '../engine/webgpu/adapterProbe.js';
import { sharedHandlers } from './engineHandlers.js';
import type { TemplateStore } from './templateStore.js';

const NO_DIALOGS =
  'web mode has no native file dialogs; the app uses the browser to open and save files';

/**
 * The EngineApi as web mode serves it. Files are the browser's business here (its pickers and
 * downloads); training goes to the engine when one is installed.
 */
export function webHandlers(options: {
  version: string;
  templates: TemplateStore;
  /** The engine, loaded on first use (importing TensorFlow.js would slow the launch). */
  training: () => Promise<TrainingApi | undefined>;
  /** Whether training can work, without loading the engine to find out (host.info is hot). */
  trainingAvailable: () => boolean;
  /** Where runs are written: the user's choice on the command line, not the page's. */
  runsDir: string;
  /** The dataset folders named on the command line (`--data DIR`); datasets elsewhere are refused. */
  dataFolders?: readonly string[];
  /** The "see inside" engine; by default loaded on first use, reading runs from `runsDir`. */
  inspect?: () => Promise<InspectApi>;
}): EngineHandlers {
  return {
    ...sharedHandlers({
      ...options,
      noEngine: 'this server runs without the training engine',
      datasetFolders: () => options.dataFolders ?? [],
      datasetHint: 'Start the web server with --data <folder> to train on a folder of your own.',
    }),
    'host.info': async () => ({
      host: 'web',
      version: options.version,
      fileDialogs: false,
      training: options.trainingAvailable(),
      gpu: options.trainingAvailable() ? await hardwareGpu() : null,
    }),
    'files.open': () => Promise.reject(new Error(NO_DIALOGS)),
    'files.read': () => Promise.reject(new Error(NO_DIALOGS)),
    'files.save': () => Promise.reject(new Error(NO_DIALOGS)),
  };
}
