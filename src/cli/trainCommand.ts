import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BACKEND_NAMES,
  OPTIMIZER_NAMES,
  parseTrainConfig,
  type Dataset,
  type TrainConfigInput,
  type TrainEvent,
} from '../api/training.js';
import { defaultRunsDir, resolveRunArg } from '../engine/runs/runsHome.js';
import { RunControl } from '../engine/train/RunControl.js';
import { runTraining } from '../engine/train/runTraining.js';
import { newRunId } from '../engine/service/TrainingService.js';
import { CliError } from './CliError.js';
import { readGraphFile } from './readGraphFile.js';
import { terminalStyle } from './style.js';
import { progressPrinter } from './trainProgress.js';

export const TRAIN_USAGE = `Usage: nnb train <graph.nnb.json> [options]

Trains the network and saves the run (graph, config, metrics.jsonl, model) in <out>/<run id>/.
  --data digits|PATH   the built-in digits (default); or a folder of MNIST IDX files, of
                       CIFAR-10 binary batches, or of images with one subfolder per class
  --epochs N           default 5
  --batch-size N       default 64
  --optimizer NAME     ${OPTIMIZER_NAMES.join(', ')} (default adam)
  --lr X               learning rate (default: PyTorch's for the optimizer)
  --momentum X         sgd / rmsprop momentum        --nesterov   Nesterov momentum (sgd)
  --weight-decay X     L2 (decoupled for adamw)
  --schedule KIND      none, step or cosine          --patience N  early stopping
  --augment            random shift (2 px) and, with --hflip, horizontal flips
  --seed N             default 42                    --max-samples N  train on at most N
  --backend NAME       auto, ${BACKEND_NAMES.join(', ')} (or env NNB_BACKEND)
  --out DIR            folder for runs (default: your data folder, ${defaultRunsDir()})
  --resume RUN         continue a run: its folder, or its id in the default folder
  --json               one JSON event per line (also when the output is not a terminal)
Ctrl-C stops after the current batch. Exit code: 0 trained, 1 training failed, 2 usage error.`;

/** --data: `digits`, or a folder whose contents say which format it is. */
export function datasetFromArg(arg: string): Dataset {
  if (arg === 'digits') return { kind: 'digits' };
  if (!existsSync(arg))
    throw new CliError(`--data ${arg}: no such file or folder (or use "digits").`);
  const dir = statSync(arg).isDirectory() ? arg : dirname(arg);
  const names = readdirSync(dir);
  if (names.some((n) => /^data_batch_\d\.bin$/.test(n))) return { kind: 'cifar10', path: dir };
  if (names.some((n) => /-idx3-ubyte(\.gz)?$/.test(n) || /\.idx3-ubyte(\.gz)?$/.test(n)))
    return { kind: 'idx', path: dir };
  return { kind: 'image-folder', path: dir };
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliError(`${flag} needs a number, got "${value}".`);
  return n;
}

/** `nnb train`: returns the exit code. */
export async function trainCommand(
  argv: readonly string[],
  out: NodeJS.WriteStream,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      data: { type: 'string', default: 'digits' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      optimizer: { type: 'string', default: 'adam' },
      lr: { type: 'string' },
      momentum: { type: 'string' },
      nesterov: { type: 'boolean', default: false },
      'weight-decay': { type: 'string' },
      schedule: { type: 'string', default: 'none' },
      patience: { type: 'string' },
      augment: { type: 'boolean', default: false },
      hflip: { type: 'boolean', default: false },
      seed: { type: 'string' },
      'max-samples': { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      out: { type: 'string' },
      resume: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    out.write(`${TRAIN_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new CliError(
      `nnb train takes one graph file, got ${positionals.length}.\n\n${TRAIN_USAGE}`,
    );
  }
  const path = positionals[0] ?? '';
  const graph = await readGraphFile(path);
  const patience = number(values.patience, '--patience');
  const input: TrainConfigInput = {
    dataset: datasetFromArg(values.data),
    epochs: number(values.epochs, '--epochs'),
    batchSize: number(values['batch-size'], '--batch-size'),
    optimizer: {
      name: values.optimizer,
      lr: number(values.lr, '--lr'),
      ...(values.momentum !== undefined && { momentum: number(values.momentum, '--momentum') }),
      ...(values.nesterov && { nesterov: true }),
      ...(values['weight-decay'] !== undefined && {
        weightDecay: number(values['weight-decay'], '--weight-decay'),
      }),
    } as TrainConfigInput['optimizer'],
    schedule: { kind: values.schedule } as TrainConfigInput['schedule'],
    earlyStopping: patience === undefined ? null : { patience },
    augmentation: { shift: values.augment ? 2 : 0, hflip: values.hflip },
    seed: number(values.seed, '--seed'),
    maxTrainSamples: number(values['max-samples'], '--max-samples') ?? null,
    backend: values.backend as TrainConfigInput['backend'],
    outDir: values.out ?? defaultRunsDir(),
    resumeFrom: values.resume === undefined ? null : resolveRunArg(values.resume),
  };
  const parsed = parseTrainConfig(input);
  if (!parsed.ok)
    throw new CliError(
      `invalid options:\n  ${parsed.problems.join('\n  ')}\n\nRun "nnb train --help".`,
    );
  const config = parsed.config;

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
}
