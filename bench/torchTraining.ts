// The PyTorch side of the training benchmark: bench/torch_train.py on the model.py that
// src/export generates from the same graph, with Debian's /usr/bin/python3 (torch 1.13).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphDocument } from '../src/core/graph/document.js';
import { generateModelPy } from '../src/export/pytorch/modelPy.js';
import { writeRaw, type BenchData } from './trainingData.js';
import type { Throughput, TrainingRunOptions } from './tfjsTraining.js';

const PYTHON = '/usr/bin/python3';

/** bench/torch_train.py, whether this runs from dist/bench (npm run bench) or from bench/. */
function scriptPath(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [
    join(here, 'torch_train.py'),
    join(here, '..', '..', 'bench', 'torch_train.py'),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined)
    throw new Error(`bench/torch_train.py not found (looked in ${candidates.join(', ')})`);
  return found;
}

export interface TorchThroughput extends Throughput {
  readonly threads: number;
  readonly version: string;
}

/**
 * PyTorch's steady-state samples/s with `threads` intra-op threads (0: its default), or a
 * sentence saying why it could not run.
 */
export function measureTorch(
  graph: GraphDocument,
  data: BenchData,
  options: TrainingRunOptions,
  threads = 0,
): TorchThroughput | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found (apt-get install python3-torch)`;
  const dir = mkdtempSync(join(tmpdir(), 'nnb-bench-'));
  try {
    const model = generateModelPy(graph);
    const modelPath = join(dir, 'model.py');
    writeFileSync(modelPath, model.source);
    const files = writeRaw(dir, data);
    const r = spawnSync(
      PYTHON,
      [
        scriptPath(),
        modelPath,
        model.className,
        files.images,
        files.labels,
        '--shape',
        data.shape.join(','),
        '--batch',
        String(options.batch),
        '--warmup',
        String(options.warmup),
        '--steps',
        String(options.steps),
        '--repeats',
        String(options.repeats),
        '--threads',
        String(threads),
      ],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    if (r.status !== 0)
      return `torch_train.py failed: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`;
    const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
      samplesPerSecond: number;
      runs: number[];
      threads: number;
      torch: string;
      lastLoss: number;
    };
    return {
      samplesPerSecond: out.samplesPerSecond,
      runs: out.runs,
      lastLoss: out.lastLoss,
      threads: out.threads,
      version: out.torch,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
