import type { EngineHandlers } from '../api/engineDispatch.js';
import type { InspectApi } from '../api/inspect.js';
import type { TrainingApi } from '../api/training.js';
import { lazyInspect } from '../engine/inspect/lazyInspect.js';
import type { TemplateStore } from './templateStore.js';

type FileMethod = 'host.info' | 'files.open' | 'files.read' | 'files.save';
/** The methods every host answers the same way: templates, training and the inspect views. */
export type SharedHandlers = Omit<EngineHandlers, FileMethod>;

/**
 * The part of the EngineApi that does not depend on the host: templates from the app folder,
 * training in the engine (runs written to `runsDir`, the user's choice, never the page's), and
 * the "see inside" engine. Each host adds `host.info` and its own file handling.
 */
export function sharedHandlers(options: {
  templates: TemplateStore;
  /** The engine, loaded on first use (importing TensorFlow.js would slow the launch). */
  training: () => Promise<TrainingApi | undefined>;
  /** What a request says when this host has no training engine. */
  noEngine: string;
  runsDir: string;
  /** By default loaded on first use, reading runs from `runsDir`. */
  inspect?: () => Promise<InspectApi>;
}): SharedHandlers {
  const { templates, training, runsDir } = options;
  const inspect = options.inspect ?? lazyInspect(runsDir);
  const engine = async (): Promise<TrainingApi> => {
    const api = await training();
    if (api === undefined) throw new Error(options.noEngine);
    return api;
  };
  return {
    'templates.list': () => templates.list(),
    'templates.read': async ({ file }) => ({ text: await templates.read(file) }),
    'train.start': async ({ graph, config }) =>
      (await engine()).start(graph, { ...config, outDir: runsDir }),
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
