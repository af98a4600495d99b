import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName, TrainConfig, TrainErrorCode } from '../../api/training.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { formatShape } from '../../core/shape.js';
import { DatasetError } from '../data/Dataset.js';
import { checkInputShape, loadDataset } from '../data/loadDataset.js';
import { prepareData, type PreparedData } from '../data/prepareData.js';
import { CompiledModel } from '../model/CompiledModel.js';
import { CompileError, planGraph, type CompilePlan } from '../model/compilePlan.js';
import { BackendError, selectBackend, type BackendSelection } from '../selectBackend.js';
import { analyze } from '../../core/analysis/analyze.js';
import { elements } from '../../core/layers/tensors.js';
import { layerTensors } from '../../core/weights/layerTensors.js';
import { bindingProblem, stepTensors } from '../webgpu/bindingLimits.js';
import { GpuError } from '../webgpu/gpuErrors.js';
import { webGpuDevice } from '../webgpu/loadWebGpu.js';
import { CheckpointError, checkpointMeta, loadCheckpoint, restoreWeights } from './checkpoint.js';
import { outputKind, type OutputKind } from './loss.js';
import { applyInitialWeights } from './initialWeights.js';
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
  if (error instanceof BackendError || error instanceof GpuError) {
    return new TrainingError('backend', message);
  }
  if (error instanceof CheckpointError) return new TrainingError('checkpoint', message);
  return new TrainingError('internal', message);
}

export interface RunSetup {
  readonly backend: BackendName;
  /** The GPU of a `webgpu` run, in words; null otherwise. */
  readonly device: string | null;
  readonly backendNotes: readonly string[];
  readonly model: CompiledModel;
  readonly optimizer: StepOptimizer;
  readonly data: PreparedData;
  readonly kind: OutputKind;
  readonly runDir: string;
  /** Epochs already trained (a resumed run continues after them). */
  readonly doneEpochs: number;
  readonly best: { accuracy: number | null; epoch: number | null };
  /** Which layers took `initialWeights` and which start fresh, in words; null without them. */
  readonly initialNote: string | null;
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
  // The graph's shapes need no backend: a graph with errors is refused before anything loads.
  const plan = planGraph(graph);
  // The backend choice waits on the GPU probe (a child process, adapterProbe.ts) and the backend's
  // own start-up; the data is read and checked meanwhile. A backend that cannot load is still
  // reported before a problem with the data, as when one came after the other.
  const choosing = backendAndModel(plan, graph, config);
  let data: PreparedData | null = null;
  let dataError: unknown = null;
  try {
    const dataset = loadDataset(config.dataset, plan.input.shape);
    checkInputShape(dataset, plan.input.shape);
    data = prepareData(dataset, config);
  } catch (error) {
    dataError = error;
  }
  const { backend, device, skipped, model } = await choosing;
  try {
    if (data === null) throw dataError;
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
    const optimizer = createOptimizer(config.optimizer, model.trainableVariables(), backend);
    const runDir = config.resumeFrom ?? join(config.outDir, runId);
    let doneEpochs = 0;
    let best: RunSetup['best'] = { accuracy: null, epoch: null };
    const initialNote =
      config.initialWeights === null ? null : startingWeights(model, graph, config);
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
      device,
      backendNotes: skipped,
      model,
      optimizer,
      data,
      kind,
      runDir,
      doneEpochs,
      best,
      initialNote,
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Loads `initialWeights` (fine-tuning) into the fresh model; what fits, in words. */
function startingWeights(model: CompiledModel, graph: GraphDocument, config: TrainConfig): string {
  if (config.resumeFrom !== null) {
    throw new TrainingError(
      'invalid-graph',
      'A run cannot both resume a run and start from other weights: leave out initialWeights (or resumeFrom).',
    );
  }
  return applyInitialWeights(model, analyze(graph), config.initialWeights ?? '').note;
}

/**
 * The backend, and the model compiled on it. On `webgpu`, a graph with a tensor larger than the
 * GPU binds at once (at this batch size) would train on garbage: `auto` then moves on to the next
 * backend and says why; a forced `webgpu` is refused, naming the layer.
 */
async function backendAndModel(
  plan: CompilePlan,
  graph: GraphDocument,
  config: TrainConfig,
): Promise<BackendSelection & { model: CompiledModel }> {
  const selection = await selectBackend(config.backend);
  const gpu = selection.backend === 'webgpu' ? webGpuDevice() : null;
  if (gpu === null) return { ...selection, model: CompiledModel.fromPlan(plan, config.seed) };
  const problem = bindingProblem(
    gpuStepTensors(graph, config.batchSize),
    gpu.adapter.maxStorageBufferBindingSize,
  );
  if (problem === null) return { ...selection, model: CompiledModel.fromPlan(plan, config.seed) };
  if (config.backend === 'webgpu' || process.env.NNB_BACKEND === 'webgpu') {
    throw new BackendError(
      `The webgpu backend cannot train this graph: ${problem}. Use --backend wasm, or a smaller batch size.`,
    );
  }
  const next = await selectBackend('auto', ['webgpu']);
  return {
    ...next,
    skipped: [...selection.skipped, `webgpu: ${problem}`, ...next.skipped],
    model: CompiledModel.fromPlan(plan, config.seed),
  };
}

/** What a training step binds, from the analysis (no tensors allocated). */
function gpuStepTensors(graph: GraphDocument, batchSize: number) {
  const analysis = analyze(graph);
  const weights = analysis.layers.flatMap((layer) =>
    layerTensors(layer).map((t) => ({ node: layer.id, name: t.name, size: elements(t.shape) })),
  );
  const outputs = analysis.layers.map((layer) => ({
    node: layer.id,
    bytesPerSample: layer.activationBytes,
  }));
  return stepTensors(weights, outputs, batchSize);
}
