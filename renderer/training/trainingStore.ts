import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { BackendChoice, TrainConfigInput, TrainEvent } from '../../src/api/training';
import type { GraphDocument } from '../../src/core/graph/document';
import { getEngine } from '../api/engine';
import { editorStore } from '../store/useEditor';
import { uiStore } from '../store/uiStore';
import { importedWeightsStore, startingWeights, type StartingWeights } from './importedWeights';
import { OwnRuns } from './ownRuns';
import { IDLE_RUN, reduceTrainEvent, type RunState } from './trainingState';

/** The form's values: a TrainConfigInput the engine validates (defaults are PyTorch's). */
export interface TrainingForm {
  readonly dataset: 'digits' | 'idx' | 'image-folder';
  readonly path: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly optimizer: 'adam' | 'sgd' | 'adamw' | 'rmsprop' | 'adagrad';
  readonly lr: number;
  readonly maxTrainSamples: number | null;
  readonly backend: BackendChoice;
}

export const DEFAULT_FORM: TrainingForm = {
  dataset: 'digits',
  path: '',
  epochs: 1,
  batchSize: 64,
  optimizer: 'adam',
  lr: 0.001,
  maxTrainSamples: null,
  backend: 'auto',
};

/** The engine's config for the form. */
export function configFromForm(f: TrainingForm): TrainConfigInput {
  return {
    dataset: f.dataset === 'digits' ? { kind: 'digits' } : { kind: f.dataset, path: f.path },
    epochs: f.epochs,
    batchSize: f.batchSize,
    optimizer: { name: f.optimizer, lr: f.lr },
    maxTrainSamples: f.maxTrainSamples,
    backend: f.backend,
  };
}

/**
 * The config starting from a kept import where some layer takes its weights: fine-tuning, with
 * the inputs scaled to [0, 1] as an import expects (pixels/255: the file says nothing else).
 */
export function withStartingWeights(
  config: TrainConfigInput,
  starting: StartingWeights | null,
): TrainConfigInput {
  if (starting === null || !starting.applies) return config;
  return { ...config, initialWeights: starting.importId, normalization: { kind: 'none' } };
}

export interface TrainingStore {
  readonly form: TrainingForm;
  readonly run: RunState;
  /** The graph the current run trains, as sent (the Inspect views show its weights only for it). */
  readonly runGraph: GraphDocument | null;
  /** Set once the host said whether it can train. */
  readonly available: boolean | null;
  /** The hardware GPU the host's `webgpu` backend would use, once the host said; null: none. */
  readonly gpu: string | null;
  setForm(patch: Partial<TrainingForm>): void;
  start(): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

const ownListeners = new Set<(event: TrainEvent) => void>();

/** The events of the runs this panel started, in order (the gradient sparklines follow them). */
export function onOwnTrainEvent(listener: (event: TrainEvent) => void): () => void {
  ownListeners.add(listener);
  return () => ownListeners.delete(listener);
}

export const trainingStore = createStore<TrainingStore>()((set, get) => {
  let subscribed = false;
  // Only this panel's runs: Train all in the compare view streams on the same channel.
  const own = new OwnRuns();
  const fail = (message: string) => set({ run: { ...get().run, status: 'error', message } });
  return {
    form: DEFAULT_FORM,
    run: IDLE_RUN,
    runGraph: null,
    available: null,
    gpu: null,
    setForm(patch) {
      set({ form: { ...get().form, ...patch } });
    },
    async start() {
      const engine = getEngine();
      const apply = (events: readonly TrainEvent[]) => {
        let run = get().run;
        for (const event of events) run = reduceTrainEvent(run, event);
        if (run !== get().run) set({ run });
        for (const event of events) for (const listener of ownListeners) listener(event);
      };
      if (!subscribed) {
        subscribed = true;
        engine.training.onEvent((event) => apply(own.accept(event)));
      }
      const { doc, analysis } = editorStore.getState();
      uiStore.getState().set({ bottomTab: 'training' });
      if (analysis.hasErrors) {
        fail('The network has errors (see Problems); fix them before training.');
        return;
      }
      set({ run: { ...IDLE_RUN, status: 'starting' }, runGraph: doc });
      own.beginStart();
      try {
        const starting = startingWeights(importedWeightsStore.getState(), doc, analysis);
        const config = withStartingWeights(configFromForm(get().form), starting);
        const { runId } = await engine.training.start(doc, config);
        // Events that arrived before the reply are applied now; other runs' are dropped.
        apply(own.started(runId));
        if (get().run.runId === null) set({ run: { ...get().run, runId } });
      } catch (error) {
        own.failed();
        fail(error instanceof Error ? error.message : String(error));
      }
    },
    async pause() {
      const id = get().run.runId;
      if (id) await getEngine().training.pause(id);
    },
    async resume() {
      const id = get().run.runId;
      if (id) await getEngine().training.resume(id);
    },
    async stop() {
      const id = get().run.runId;
      if (id) await getEngine().training.stop(id);
    },
  };
});

export function useTraining<T>(selector: (s: TrainingStore) => T): T {
  return useStore(trainingStore, selector);
}
