import { join } from 'node:path';
import type { EngineHandlers } from '../api/engineDispatch.js';
import type { InspectApi } from '../api/inspect.js';
import type { ProfileApi } from '../api/profile.js';
import type { TrainConfig, TrainingApi } from '../api/training.js';
import { lazyInspect } from '../engine/inspect/lazyInspect.js';
import { lazyProfile } from '../engine/profile/ProfileWorkerClient.js';
import { confinePath, PathConfinementError } from '../engine/runs/confinePath.js';
import { ModelImports } from './modelImports.js';
import type { TemplateStore } from './templateStore.js';

type FileMethod = 'host.info' | 'files.open' | 'files.read' | 'files.save';
/** The methods every host answers the same way: templates, training and the inspect views. */
export type SharedHandlers = Omit<EngineHandlers, FileMethod>;

/**
 * The part of the EngineApi that does not depend on the host: templates from the app folder,
 * training in the engine (runs written to `runsDir`, the user's choice, never the page's), and
 * the "see inside" engine. Each host adds `host.info` and its own file handling. Every path a
 * request carries is taken by its real path and confined: runs to resume or to predict with, and
 * the weights a run starts from (an import kept by `imports.*`), to `runsDir`; datasets to the
 * folders the user picked.
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
  /** By default one worker thread per profile. */
  profile?: () => Promise<ProfileApi>;
  /**
   * The folders the user picked for datasets (web: `--data` on the command line; desktop: the
   * allow-list of folders chosen in a native dialog). A dataset path elsewhere is refused.
   */
  datasetFolders?: () => readonly string[];
  /** How the user adds a dataset folder, said when a path is in none of them. */
  datasetHint?: string;
  /**
   * Desktop: asks the user, in a native dialog the page cannot forge, to choose the dataset folder
   * when the requested one is not among `datasetFolders`; resolves to the chosen folder (now in the
   * allow-list), or null when cancelled.
   */
  chooseDatasetFolder?: (requested: string) => Promise<string | null>;
}): SharedHandlers {
  const { templates, training, runsDir } = options;
  const datasetFolders = options.datasetFolders ?? (() => []);
  /** Run id → run folder of the runs started here (a resumed run trains in its old folder). */
  const startedRuns = new Map<string, string>();
  const runFolder = (run: string): string =>
    startedRuns.get(run) ?? confinePath(run, [runsDir], { what: 'The run', allowRoot: false });

  /** The dataset's real path, inside a folder the user picked (asking the desktop user once). */
  const confineDataset = async (path: string): Promise<string> => {
    const datasetRule = { what: 'The dataset folder', allowRoot: true, hint: options.datasetHint };
    try {
      return confinePath(path, datasetFolders(), datasetRule);
    } catch (error) {
      if (!(error instanceof PathConfinementError) || options.chooseDatasetFolder === undefined)
        throw error;
      const chosen = await options.chooseDatasetFolder(path);
      if (chosen === null) throw error;
      return confinePath(chosen, datasetFolders(), datasetRule);
    }
  };
  /** The config with every path the page sent resolved and confined (see docs/security.md). */
  const confineConfig = async (config: TrainConfig): Promise<TrainConfig> => {
    const { dataset, resumeFrom, initialWeights } = config;
    return {
      ...config,
      outDir: runsDir,
      dataset:
        dataset.kind === 'digits'
          ? dataset
          : { ...dataset, path: await confineDataset(dataset.path) },
      resumeFrom:
        resumeFrom === null
          ? null
          : confinePath(resumeFrom, [runsDir], { what: 'The run to resume', allowRoot: false }),
      // An import (`import-…`) or a run of the runs folder, named by id or path, nothing else.
      initialWeights:
        initialWeights === null
          ? null
          : confinePath(initialWeights, [runsDir], {
              what: 'The weights to start from',
              allowRoot: false,
            }),
    };
  };
  const inspect = options.inspect ?? lazyInspect(runsDir);
  const profile = options.profile ?? lazyProfile();
  const imports = new ModelImports(runsDir);
  const engine = async (): Promise<TrainingApi> => {
    const api = await training();
    if (api === undefined) throw new Error(options.noEngine);
    return api;
  };
  return {
    'templates.list': () => templates.list(),
    'templates.read': async ({ file }) => ({ text: await templates.read(file) }),
    'train.start': async ({ graph, config, group }) => {
      const api = await engine();
      const confined = await confineConfig(config);
      const { runId } = await api.start(graph, confined, group && { group });
      startedRuns.set(runId, confined.resumeFrom ?? join(runsDir, runId));
      // Ids are short; keep the newest few hundred (the oldest are found in runsDir anyway).
      if (startedRuns.size > 500) startedRuns.delete(startedRuns.keys().next().value ?? '');
      return { runId };
    },
    'train.pause': async ({ runId }) => ((await engine()).pause(runId), null),
    'train.resume': async ({ runId }) => ((await engine()).resume(runId), null),
    'train.stop': async ({ runId }) => ((await engine()).stop(runId), null),
    'train.predict': async ({ run, image }) => (await engine()).predict(runFolder(run), image),
    'inspect.samples': async (params) => (await inspect()).samples(params),
    'inspect.activations': async (params) => (await inspect()).activations(params),
    'inspect.filters': async (params) => (await inspect()).filters(params),
    'inspect.mistakes': async (params) => (await inspect()).mistakes(params),
    'profile.run': async (params) => (await profile()).run(params),
    'profile.stop': async () => ((await profile()).stop('stopped by the user'), null),
    'imports.begin': async (params) => imports.begin(params),
    'imports.write': async (params) => imports.write(params),
    'imports.finish': async ({ uploadId }) => imports.finish(uploadId),
  };
}
