import { join } from 'node:path';
import { GRADIENT_NORM_EVERY, type TrainConfig, type TrainEvent } from '../../api/training.js';
import type { GraphDocument } from '../../core/graph/document.js';
import type { BatchData, BatchOptions } from '../data/makeBatch.js';
import { makeBatch } from '../data/makeBatch.js';
import { writeFileAtomic } from '../../io/writeFileAtomic.js';
import { Random } from '../random.js';
import { createBatchTrainer, type StepQueue } from './BatchTrainer.js';
import { saveCheckpoint, type ModelMeta } from './checkpoint.js';
import { classMetrics } from './classMetrics.js';
import { evaluate } from './evaluate.js';
import type { RunControl } from './RunControl.js';
import { appendMetrics, recordRunError } from './runFiles.js';
import { learningRateAt } from './schedule.js';
import { setupRun, toTrainingError, TrainingError, type RunSetup } from './setupRun.js';
import type { StepResult } from './trainStep.js';

/** The run folder's file of the last evaluation's predicted classes, one int32 per sample. */
export const VALIDATION_PREDICTIONS = 'validation-predictions.bin';

export interface TrainingRequest {
  readonly runId: string;
  readonly graph: GraphDocument;
  readonly config: TrainConfig;
  readonly emit: (event: TrainEvent) => void;
  readonly control: RunControl;
}

/**
 * Runs one training to its end and reports it as TrainEvents. Never throws: every failure becomes
 * the run's terminal `error` event, also recorded as the last line of the run folder's
 * metrics.jsonl when the run has a folder; otherwise it ends with `finished`.
 */
export async function runTraining(request: TrainingRequest): Promise<void> {
  const { runId, emit } = request;
  let setup: RunSetup | null = null;
  try {
    setup = await setupRun(request.graph, request.config, runId);
    await trainLoop(request, setup);
  } catch (error) {
    const e = toTrainingError(error);
    const event = { type: 'error', runId, code: e.code, message: e.message } as const;
    // A resumed run that failed in its set-up still has its folder and its record.
    const runDir = setup?.runDir ?? request.config.resumeFrom;
    if (runDir !== null) recordRunError(runDir, event);
    emit(event);
  } finally {
    setup?.model.dispose();
    setup?.optimizer.dispose();
  }
}

async function trainLoop(request: TrainingRequest, s: RunSetup): Promise<void> {
  const { runId, config, emit, graph } = request;
  const { model, data, runDir } = s;
  const metrics = metricsWriter(runDir, emit);
  const { batches, firstEpoch, lastEpoch } = epochPlan(s, config.batchSize, config.epochs);
  metrics({
    type: 'started',
    runId,
    backend: s.backend,
    ...(s.device !== null && { device: s.device }),
    dataset: data.info,
    epochs: lastEpoch,
    firstEpoch,
    batchesPerEpoch: batches,
    trainableParams: model.trainableParamCount(),
    runDir,
  });
  if (s.backendNotes.length > 0 && config.backend === 'auto') {
    emit({
      type: 'warning',
      runId,
      message: `Training on ${s.backend}; passed over ${s.backendNotes.join('; ')}.`,
    });
  }
  if (data.info.skipped > 0) {
    emit({
      type: 'warning',
      runId,
      message: `${data.info.skipped} image(s) could not be read and were skipped.`,
    });
  }
  // Last of the set-up's messages: the one the app keeps showing is which weights it starts from.
  if (s.initialNote !== null) emit({ type: 'warning', runId, message: s.initialNote });
  const [c, h, w] = data.info.inputShape as [number, number, number];
  const base: BatchOptions = {
    shape: [c, h, w],
    mean: data.mean,
    std: data.std,
    flat: model.inputShape.length === 1,
  };
  // Separate streams, so e.g. turning augmentation on does not change the shuffling.
  const shuffler = new Random(config.seed + 1 + s.doneEpochs);
  const trainOptions: BatchOptions = {
    ...base,
    augmentation: config.augmentation,
    random: new Random(config.seed + 2),
  };
  const dropout = new Random(config.seed + 3);
  const { trainer, fallback } = await createBatchTrainer({
    setup: {
      model,
      optimizer: s.optimizer,
      variables: model.trainableVariables(),
      loss: config.loss,
      kind: s.kind,
      nextSeed: () => dropout.seed(),
    },
    backend: s.backend,
    graph,
    seed: config.seed,
  });
  if (fallback !== null) emit({ type: 'warning', runId, message: fallback });
  try {
    await epochs(request, s, trainer, base, trainOptions, shuffler);
  } finally {
    await trainer.dispose();
  }
}

/** The epochs of a run, from the first after the resumed ones to the last, or a stop. */
async function epochs(
  request: TrainingRequest,
  s: RunSetup,
  trainer: StepQueue,
  base: BatchOptions,
  trainOptions: BatchOptions,
  shuffler: Random,
): Promise<void> {
  const { runId, config, emit, control, graph } = request;
  const { model, data, runDir } = s;
  const metrics = metricsWriter(runDir, emit);
  const { batches, firstEpoch, lastEpoch } = epochPlan(s, config.batchSize, config.epochs);
  const classes = data.info.classNames.length;
  const metaAt = (epoch: number, valAccuracy: number): ModelMeta => ({
    classNames: data.info.classNames,
    dataShape: data.info.inputShape,
    mean: data.mean,
    std: data.std,
    epoch,
    valAccuracy,
    backend: s.backend,
  });
  // The weights before any training: the "before" of the filter view, and a reproducible start.
  if (s.doneEpochs === 0) await saveCheckpoint(join(runDir, 'initial'), graph, model, metaAt(0, 0));
  const baseLr = config.optimizer.lr;
  let best = s.best;
  let bestLoss = Infinity;
  let sinceImproved = 0;
  let epochsDone = 0;
  let reason: 'completed' | 'stopped' | 'early-stopped' = 'completed';
  let samplesPerSecond = 0;

  for (let epoch = firstEpoch; epoch <= lastEpoch && reason === 'completed'; epoch++) {
    const lr = learningRateAt(config.schedule, baseLr, epoch - s.doneEpochs, config.epochs);
    const order = Int32Array.from({ length: data.train.count }, (_, i) => i);
    shuffler.shuffle(order);
    const started = performance.now();
    let lossSum = 0;
    let correctSum = 0;
    let seen = 0;
    let gradientNorms: Record<string, number> = {};
    // Batch sizes of the steps queued and not yet reported, oldest first.
    const queuedSizes: number[] = [];
    let delivered = 0;
    let lastDelivery = performance.now();
    /** Reports the results of the oldest queued steps, in order. */
    const deliver = (results: readonly StepResult[]): void => {
      if (results.length === 0) return;
      const now = performance.now();
      const samples = queuedSizes.slice(0, results.length).reduce((a, n) => a + n, 0);
      const rate = samples / (Math.max(now - lastDelivery, 1e-3) / 1000);
      lastDelivery = now;
      for (const result of results) {
        const size = queuedSizes.shift() ?? config.batchSize;
        delivered++;
        if (!Number.isFinite(result.loss)) {
          throw new TrainingError(
            'nan-loss',
            `The loss became ${result.loss} at epoch ${epoch}, batch ${delivered}: training diverged. ` +
              `Try a lower learning rate (now ${lr}), e.g. ${lr / 10}.`,
          );
        }
        if (result.gradientNorms) gradientNorms = result.gradientNorms;
        lossSum += result.loss * size;
        correctSum += result.correct;
        seen += size;
        samplesPerSecond = samplesPerSecond === 0 ? rate : 0.9 * samplesPerSecond + 0.1 * rate;
        const remaining =
          (batches - delivered) * config.batchSize + (lastEpoch - epoch) * data.train.count;
        emit({
          type: 'batch',
          runId,
          epoch,
          batch: delivered,
          batches,
          loss: result.loss,
          accuracy: result.correct / size,
          samplesPerSecond,
          etaSeconds: remaining / Math.max(samplesPerSecond, 1e-9),
          lr,
          ...(result.gradientNorms && { gradientNorms: result.gradientNorms }),
        });
      }
    };
    const batchAt = (b: number): BatchData =>
      makeBatch(
        data.train,
        order.subarray(b * config.batchSize, (b + 1) * config.batchSize),
        trainOptions,
      );
    let next = batches > 0 ? batchAt(0) : null;
    for (let b = 0; b < batches && next !== null; b++) {
      const batch = next;
      const withNorms = b % GRADIENT_NORM_EVERY === 0 || b === batches - 1;
      queuedSizes.push(batch.size);
      const pending = trainer.enqueue(batch, lr, withNorms);
      // The next batch is made while this step finishes: on two threads, while the worker
      // computes its half (this thread has computed its own by now); on a GPU, while it runs.
      // The batches and their random draws are the same, in the same order.
      next = b + 1 < batches ? batchAt(b + 1) : null;
      deliver(await pending);
      // Everything queued is reported before a pause, a stop and the epoch's evaluation.
      if (control.pauseRequested || control.stopRequested || b === batches - 1) {
        deliver(await trainer.flush());
      }
      await control.checkpoint(
        () => emit({ type: 'paused', runId, epoch, batch: delivered }),
        () => emit({ type: 'resumed', runId }),
      );
      if (control.stopRequested) {
        deliver(await trainer.flush());
        break;
      }
    }
    if (control.stopRequested && seen < data.train.count) {
      reason = 'stopped';
      break;
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const val = await evaluate(
      model,
      data.validation,
      base,
      config.loss,
      s.kind,
      classes,
      trainer.evaluationHelper,
    );
    const { accuracy, perClass } = classMetrics(val.confusion, data.info.classNames);
    const seconds = (performance.now() - started) / 1000;
    metrics({
      type: 'epoch',
      runId,
      epoch,
      epochs: lastEpoch,
      trainLoss: lossSum / seen,
      trainAccuracy: correctSum / seen,
      valLoss: val.loss,
      valAccuracy: accuracy,
      seconds,
      samplesPerSecond: seen / trainSeconds,
      lr,
      gradientNorms,
    });
    metrics({
      type: 'evaluation',
      runId,
      epoch,
      accuracy,
      classNames: data.info.classNames,
      confusion: val.confusion,
      perClass,
    });
    epochsDone++;
    const meta = metaAt(epoch, accuracy);
    // Each validation sample's predicted class (int32, the split's order): the mistakes view.
    writeFileAtomic(
      join(runDir, VALIDATION_PREDICTIONS),
      new Uint8Array(val.predicted.buffer, 0, val.predicted.byteLength),
    );
    await saveCheckpoint(join(runDir, 'last'), graph, model, meta, s.optimizer);
    emit({ type: 'checkpoint', runId, epoch, path: join(runDir, 'last'), kind: 'last' });
    if (best.accuracy === null || accuracy > best.accuracy) {
      best = { accuracy, epoch };
      await saveCheckpoint(join(runDir, 'best'), graph, model, meta);
      emit({ type: 'checkpoint', runId, epoch, path: join(runDir, 'best'), kind: 'best' });
    }
    if (val.loss < bestLoss - (config.earlyStopping?.minDelta ?? 0)) {
      bestLoss = val.loss;
      sinceImproved = 0;
    } else if (config.earlyStopping !== null && ++sinceImproved >= config.earlyStopping.patience) {
      reason = 'early-stopped';
    }
    if (control.stopRequested) reason = 'stopped';
  }
  metrics({
    type: 'finished',
    runId,
    reason,
    runDir,
    bestValAccuracy: best.accuracy,
    bestEpoch: best.epoch,
    epochsCompleted: epochsDone,
  });
}

/** Emits an event and appends it to the run folder's metrics.jsonl (the run's lasting record). */
function metricsWriter(runDir: string, emit: (event: TrainEvent) => void) {
  return (event: TrainEvent): void => {
    appendMetrics(runDir, event);
    emit(event);
  };
}

/** Batches per epoch and the epochs this run trains (a resumed run continues the count). */
function epochPlan(s: RunSetup, batchSize: number, epochs: number) {
  return {
    batches: Math.ceil(s.data.train.count / batchSize),
    firstEpoch: s.doneEpochs + 1,
    lastEpoch: s.doneEpochs + epochs,
  };
}
