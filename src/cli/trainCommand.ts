import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import {
  BACKEND_NAMES,
  OPTIMIZER_NAMES,
  parseTrainConfig,
  type Dataset,
  type TrainConfig,
  type TrainConfigInput,
  type TrainEvent,
} from '../api/training.js';
import { defaultRunsDir, resolveRunArg } from '../engine/runs/runsHome.js';
import { RunControl } from '../engine/train/RunControl.js';
import { checkpointMeta } from '../engine/train/checkpoint.js';
import { modelFolder } from '../engine/predict/Predictor.js';
import { runTraining } from '../engine/train/runTraining.js';
import { newRunId } from '../engine/service/TrainingService.js';
import { CliError, UsageError } from './CliError.js';
import { command } from './commandLine.js';
import { readGraphFile } from './readGraphFile.js';
import { terminalStyle } from './style.js';
import { progressPrinter } from './trainProgress.js';

/**
 * --weights DIR: start from a checkpoint's weights, with the input normalization they were trained
 * with (an import's pixels/255: mean 0, std 1), so the first epoch continues from what they learned.
 */
function startFrom(dir: string): Pick<TrainConfigInput, 'initialWeights' | 'normalization'> {
  let meta;
  try {
    meta = checkpointMeta(modelFolder(dir));
  } catch (error) {
    throw new CliError(`--weights ${dir}: ${(error as Error).message}`, 2);
  }
  if (meta === null) {
    throw new UsageError(
      `--weights ${dir}: no checkpoint there (give an nnb import folder, a run, or a run's best/ or last/).`,
    );
  }
  return {
    initialWeights: dir,
    normalization: { kind: 'custom', mean: [...meta.mean], std: [...meta.std] },
  };
}

/** --data: `digits`, or a folder whose contents say which format it is. */
export function datasetFromArg(arg: string): Dataset {
  if (arg === 'digits') return { kind: 'digits' };
  if (!existsSync(arg))
    throw new CliError(`--data ${arg}: no such file or folder (or use "digits").`);
  let dir: string;
  let names: string[];
  try {
    dir = statSync(arg).isDirectory() ? arg : dirname(arg);
    names = readdirSync(dir);
  } catch (error) {
    throw new CliError(`--data ${arg}: cannot read it (${fileProblem(error)}).`);
  }
  if (names.some((n) => /^data_batch_\d\.bin$/.test(n))) return { kind: 'cifar10', path: dir };
  if (names.some((n) => /-idx3-ubyte(\.gz)?$/.test(n) || /\.idx3-ubyte(\.gz)?$/.test(n)))
    return { kind: 'idx', path: dir };
  return { kind: 'image-folder', path: dir };
}

/** Why a file operation failed, in words, with the system's code for searching. */
function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const words: Readonly<Record<string, string>> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a file stands where a folder should be',
    ENOENT: 'no such folder',
    ENOSPC: 'no space left on the device',
    EEXIST: 'it is a file, not a folder',
  };
  return `${words[code] ?? (error as Error).message}${code === '' ? '' : `, ${code}`}`;
}

/**
 * Creates the runs folder and checks it can be written, before any training: a read-only or
 * misplaced --out used to fail inside the run as an "internal" error about a mkdir.
 */
function checkRunsFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw new CliError(
      `--out ${dir}: cannot write runs there (${fileProblem(error)}). Choose another folder with --out.`,
    );
  }
}

const DEFAULTS = defaultTrainConfig();
const SCHEDULE_KINDS = ['none', 'step', 'cosine'] as const;

/** `nnb train`: trains a graph and saves the run. */
export const trainCommand = command(
  {
    name: 'train',
    summary: 'train on the built-in digits or your data (--data), save the run',
    description:
      'Trains the network and saves the run (graph, config, metrics.jsonl, model) in <out>/<run id>/.',
    positionals: [
      { name: 'graph.nnb.json', noun: 'graph file', description: 'the network to train' },
    ],
    options: {
      data: {
        type: 'string',
        value: 'digits|PATH',
        default: 'digits',
        description:
          'the built-in digits; or a folder of MNIST IDX files, of CIFAR-10\nbinary batches, or of images with one subfolder per class',
      },
      epochs: {
        type: 'number',
        value: 'N',
        default: DEFAULTS.epochs,
        description: 'passes over the data',
      },
      'batch-size': {
        type: 'number',
        value: 'N',
        default: DEFAULTS.batchSize,
        description: 'samples per step',
      },
      optimizer: {
        type: 'string',
        value: 'NAME',
        default: DEFAULTS.optimizer.name,
        choices: OPTIMIZER_NAMES,
        description: 'the optimizer, as in torch.optim',
      },
      lr: {
        type: 'number',
        value: 'X',
        description: "learning rate (default: PyTorch's for the optimizer)",
      },
      momentum: { type: 'number', value: 'X', description: 'sgd / rmsprop momentum' },
      nesterov: { type: 'boolean', description: 'Nesterov momentum (sgd)' },
      'weight-decay': { type: 'number', value: 'X', description: 'L2 (decoupled for adamw)' },
      schedule: {
        type: 'string',
        value: 'KIND',
        default: DEFAULTS.schedule.kind,
        choices: SCHEDULE_KINDS,
        description: 'learning-rate schedule',
      },
      patience: {
        type: 'number',
        value: 'N',
        description: 'stop early after N epochs without progress',
      },
      augment: {
        type: 'boolean',
        description: 'random shift (2 px) and, with --hflip, horizontal flips',
      },
      hflip: { type: 'boolean', description: 'random horizontal flips (with --augment)' },
      seed: {
        type: 'number',
        value: 'N',
        default: DEFAULTS.seed,
        description: 'same seed, same run',
      },
      'max-samples': { type: 'number', value: 'N', description: 'train on at most N samples' },
      backend: {
        type: 'string',
        value: 'NAME',
        default: DEFAULTS.backend,
        choices: ['auto', ...BACKEND_NAMES],
        description: 'the TensorFlow.js backend; env NNB_BACKEND sets it too',
      },
      out: {
        type: 'string',
        value: 'DIR',
        default: defaultRunsDir(),
        description: 'folder for runs',
      },
      resume: {
        type: 'string',
        value: 'RUN',
        description: 'continue a run: its folder, or its id in the default folder',
      },
      weights: {
        type: 'string',
        value: 'DIR',
        description:
          'start from these weights (fine-tuning): an nnb import folder or a run; layers that do not fit start fresh',
      },
      json: {
        type: 'boolean',
        description: 'one JSON event per line (also when the output is not a terminal)',
      },
    },
    notes: 'Ctrl-C stops after the current batch.',
    exitCodes: '0 trained, 1 training failed, 2 usage error or unreadable file',
  },
  async ({ options: values, positionals }, out) => {
    const path = positionals[0] ?? '';
    const graph = await readGraphFile(path);
    const patience = values.patience;
    const input: TrainConfigInput = {
      dataset: datasetFromArg(values.data),
      epochs: values.epochs,
      batchSize: values['batch-size'],
      optimizer: {
        name: values.optimizer,
        lr: values.lr,
        ...(values.momentum !== undefined && { momentum: values.momentum }),
        ...(values.nesterov && { nesterov: true }),
        ...(values['weight-decay'] !== undefined && { weightDecay: values['weight-decay'] }),
      } as TrainConfigInput['optimizer'],
      schedule: { kind: values.schedule },
      earlyStopping: patience === undefined ? null : { patience },
      augmentation: { shift: values.augment ? 2 : 0, hflip: values.hflip },
      seed: values.seed,
      maxTrainSamples: values['max-samples'] ?? null,
      backend: values.backend,
      outDir: values.out,
      resumeFrom: values.resume === undefined ? null : resolveRunArg(values.resume),
      ...(values.weights !== undefined && startFrom(resolveRunArg(values.weights))),
    };
    const parsed = parseTrainConfig(input);
    if (!parsed.ok) throw new UsageError(`invalid options: ${parsed.problems.join('; ')}.`);
    const config = parsed.config;
    checkRunsFolder(config.outDir);

    const json = values.json || out.isTTY !== true;
    const style = terminalStyle(out);
    const show = json
      ? (e: TrainEvent) => out.write(`${JSON.stringify(e)}\n`)
      : progressPrinter(out, style, config, graph.name ?? basename(path));
    const control = new RunControl();
    const interrupt = (): void => {
      if (control.stopRequested) process.exit(130);
      process.stderr.write('\nStopping after this batch (Ctrl-C again to quit now)…\n');
      control.stop();
    };
    process.on('SIGINT', interrupt);
    let failed = false;
    try {
      await runTraining({
        runId: newRunId(),
        graph,
        config,
        control,
        emit: (e) => {
          show(e);
          if (e.type === 'error') {
            failed = true;
            if (!json) process.stderr.write(`nnb train: ${e.message}\n`);
          }
        },
      });
    } finally {
      process.off('SIGINT', interrupt);
    }
    return failed ? 1 : 0;
  },
);

function defaultTrainConfig(): TrainConfig {
  const parsed = parseTrainConfig({});
  if (!parsed.ok)
    throw new Error(`the default training config is invalid: ${parsed.problems.join('; ')}`);
  return parsed.config;
}
