import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName, TrainConfig, TrainErrorCode } from '../../api/training.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { formatShape } from '../../core/shape.js';
import { DatasetError } from '../data/Dataset.js';
import { checkInputShape, loadDataset } from '../data/loadDataset.js';
import { prepareData, type PreparedData } from '../data/prepareData.js';
import { CompiledModel } from '../model/CompiledModel.js';
import { CompileError } from '../model/compilePlan.js';
import { BackendError, selectBackend } from '../selectBackend.js';
import { CheckpointError, checkpointMeta, loadCheckpoint, restoreWeights } from './checkpoint.js';
import { outputKind, type OutputKind } from './loss.js';
import { createOptimizer, type StepOptimizer } from './StepOptimizer.js';
import { trimMetrics, writeRunRecord } from './runFiles.js';

/** A failure before or during training, with the error code the contract reports. */
export class TrainingError extends Error {
  constructor(
    readonly code: TrainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}

/** Maps any thrown error to the contract's code; unknown ones are bugs ("internal"). */
export function toTrainingError(error: unknown): TrainingError {
  if (error instanceof TrainingError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof CompileError) return new TrainingError('invalid-graph', message);
  if (error instanceof DatasetError) return new TrainingError('dataset', message);
  if (error instanceof BackendError) return new TrainingError('backend', message);
  if (error instanceof CheckpointError) return new TrainingError('checkpoint', message);
  return new TrainingError('internal', message);
}

export interface RunSetup {
  readonly backend: BackendName;
  readonly backendNotes: readonly string[];
  readonly model: CompiledModel;
  readonly optimizer: StepOptimizer;
  readonly data: PreparedData;
  readonly kind: OutputKind;
  readonly runDir: string;
  /** Epochs already trained (a resumed run continues after them). */
  readonly doneEpochs: number;
  readonly best: { accuracy: number | null; epoch: number | null };
}

/**
 * Everything before the first batch: backend, model, data, the checks between them, a resumed
 * checkpoint, the run folder. Throws TrainingError with a message naming what to fix.
 */
export async function setupRun(
  graph: GraphDocument,
  config: TrainConfig,
  runId: string,
): Promise<RunSetup> {
  const { backend, skipped } = await selectBackend(config.backend);
  const model = CompiledModel.compile(graph, config.seed);
  try {
    const dataset = loadDataset(config.dataset, model.inputShape);
    checkInputShape(dataset, model.inputShape);
    const data = prepareData(dataset, config);
    const classes = data.info.classNames.length;
    const out = model.outputShape;
    if (out.length !== 1 || out[0] !== classes) {
      throw new TrainingError(
        'invalid-graph',
        `The network's output is ${formatShape(out)}, but ${data.info.name} has ${classes} classes: ` +
          `end the graph with Linear(out_features=${classes})${out.length === 1 ? '' : ' after a Flatten'}.`,
      );
    }
    const kind = outputKind(model.outputType);
    const optimizer = createOptimizer(config.optimizer, model.trainableVariables());
    const runDir = config.resumeFrom ?? join(config.outDir, runId);
    let doneEpochs = 0;
    let best: RunSetup['best'] = { accuracy: null, epoch: null };
    if (config.resumeFrom !== null) {
      const checkpoint = loadCheckpoint(join(config.resumeFrom, 'last'), true);
      try {
        restoreWeights(model, checkpoint);
      } catch (error) {
        throw new TrainingError(
          'invalid-graph',
          `The run in ${config.resumeFrom} was trained on a different graph: ${(error as Error).message}`,
        );
      }
      if (checkpoint.optimizer)
        optimizer.load(checkpoint.optimizer.state, checkpoint.optimizer.steps);
      doneEpochs = checkpoint.meta.epoch;
      // The best so far is best/'s own record (last/ may be a worse, later epoch).
      const bestMeta = checkpointMeta(join(config.resumeFrom, 'best'));
      if (bestMeta !== null) best = { accuracy: bestMeta.valAccuracy, epoch: bestMeta.epoch };
      trimMetrics(runDir, doneEpochs);
    }
    mkdirSync(runDir, { recursive: true });
    writeRunRecord(runDir, graph, config, config.resumeFrom !== null);
    return {
      backend,
      backendNotes: skipped,
      model,
      optimizer,
      data,
      kind,
      runDir,
      doneEpochs,
      best,
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
