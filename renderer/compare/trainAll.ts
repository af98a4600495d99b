import type {
  TrainingApi,
  TrainConfigInput,
  TrainEvent,
  TrainStartOptions,
} from '../../src/api/training';
import { analyze } from '../../src/core/analysis/analyze';
import type { CompareTraining, CompareVariant } from '../../src/core/compare/compareDocument';
import type { GraphDocument } from '../../src/core/graph/document';
import {
  EMPTY_RESULT,
  foldVariantEvent,
  trainConfigFor,
  waitingRun,
  type VariantRun,
} from './variantRun';

export interface TrainAllHooks {
  /** Every change of a variant's run (progress, a new epoch, the end). */
  onRun(index: number, run: VariantRun): void;
  /** A run the engine named (for Stop); each is named once. */
  onActive(runId: string): void;
  /** True once the user pressed Stop: no further variant starts. */
  stopped(): boolean;
}

let groups = 0;

/**
 * Trains the variants with the same config (seed, data split, hyperparameters), so their curves
 * are comparable. All are handed to the engine at once as one group: the host trains up to
 * min(variants, cores − 1) of them side by side, one thread each, and the rest in turn, first
 * come first served; on two cores that is one after another (TrainingService). A variant whose
 * graph has errors is not sent to the engine: its run says why. Resolves when every run ended.
 */
export async function trainAll(
  api: Pick<TrainingApi, 'start' | 'onEvent'>,
  variants: readonly CompareVariant[],
  training: CompareTraining,
  hooks: TrainAllHooks,
): Promise<void> {
  variants.forEach((_, i) => hooks.onRun(i, waitingRun()));
  const trainable: number[] = [];
  for (const [i, variant] of variants.entries()) {
    const problem = analyze(variant.graph).diagnostics.find((d) => d.severity === 'error');
    if (!problem) {
      trainable.push(i);
      continue;
    }
    hooks.onRun(i, {
      ...waitingRun('skipped'),
      result: {
        ...EMPTY_RESULT,
        outcome: 'error',
        message: `Not trained: the graph has errors. ${problem.message}`,
      },
    });
  }
  const group = { id: `train-all-${Date.now().toString(36)}-${++groups}`, size: trainable.length };
  await Promise.all(
    trainable.map((i) => {
      if (hooks.stopped()) {
        hooks.onRun(i, waitingRun('idle'));
        return undefined;
      }
      const variant = variants[i]!;
      const config = trainConfigFor(training, variant.weightDecay);
      const onRun = (run: VariantRun) => hooks.onRun(i, run);
      return runOne(api, variant.graph, config, onRun, hooks.onActive, { group });
    }),
  );
}

/** One run from start to its terminal event; never rejects (a refused start is an error run). */
export function runOne(
  api: Pick<TrainingApi, 'start' | 'onEvent'>,
  graph: GraphDocument,
  config: TrainConfigInput,
  onRun: (run: VariantRun) => void,
  onActive: (runId: string) => void,
  options: TrainStartOptions = {},
): Promise<VariantRun> {
  return new Promise((resolve) => {
    let run = waitingRun('starting');
    onRun(run);
    let runId: string | null = null;
    let done = false;
    // Events can arrive before start() answers; keep them until the run id is known.
    const early: TrainEvent[] = [];
    const apply = (event: TrainEvent) => {
      if (done) return;
      run = foldVariantEvent(run, event);
      onRun(run);
      if (event.type === 'finished' || event.type === 'error') {
        done = true;
        unsubscribe();
        resolve(run);
      }
    };
    const unsubscribe = api.onEvent((event) => {
      if (runId === null) early.push(event);
      else if (event.runId === runId) apply(event);
    });
    api.start(graph, config, options).then(
      ({ runId: id }) => {
        runId = id;
        onActive(id);
        for (const event of early.splice(0)) if (event.runId === id) apply(event);
      },
      (error: unknown) => {
        done = true;
        unsubscribe();
        run = {
          ...run,
          status: 'error',
          result: {
            ...EMPTY_RESULT,
            outcome: 'error',
            message: error instanceof Error ? error.message : String(error),
          },
        };
        onRun(run);
        resolve(run);
      },
    );
  });
}
