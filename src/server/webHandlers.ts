import type { InspectApi } from '../api/inspect.js';
import { lazyInspect } from '../engine/inspect/lazyInspect.js';
import type { EngineHandlers } from '../api/engineDispatch.js';
import type { TrainingApi } from '../api/training.js';
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
  /** The "see inside" engine; by default loaded on first use, reading runs from `runsDir`. */
  inspect?: () => Promise<InspectApi>;
}): EngineHandlers {
  const inspect = options.inspect ?? lazyInspect(options.runsDir);
  const { training, templates } = options;
  const engine = async (): Promise<TrainingApi> => {
    const api = await training();
    if (api === undefined) throw new Error('this server runs without the training engine');
    return api;
  };
  return {
    'host.info': async () => ({
      host: 'web',
      version: options.version,
      fileDialogs: false,
      training: options.trainingAvailable(),
    }),
    'templates.list': () => templates.list(),
    'templates.read': async ({ file }) => ({ text: await templates.read(file) }),
    'files.open': () => Promise.reject(new Error(NO_DIALOGS)),
    'files.read': () => Promise.reject(new Error(NO_DIALOGS)),
    'files.save': () => Promise.reject(new Error(NO_DIALOGS)),
    'train.start': async ({ graph, config }) =>
      (await engine()).start(graph, { ...config, outDir: options.runsDir }),
    'train.pause': async ({ runId }) => ((await engine()).pause(runId), null),
    'train.resume': async ({ runId }) => ((await engine()).resume(runId), null),
    'train.stop': async ({ runId }) => ((await engine()).stop(runId), null),
    'train.predict': async ({ run, image }) => (await engine()).predict(run, image),
    'inspect.samples': async (params) => (await inspect()).samples(params),
    'inspect.activations': async (params) => (await inspect()).activations(params),
    'inspect.filters': async (params) => (await inspect()).filters(params),
    'inspect.mistakes': async (params) => (await inspect()).mistakes(params),
  };
}
