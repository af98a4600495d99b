/**
 * `npm run bench:gpu`: training throughput on the webgpu backend beside PyTorch on the same GPU,
 * in one run, for the same graphs (PyTorch trains the model.py our exporter writes from each
 * graph). Random data, Adam, the loss read back every `readEvery` steps on both sides. Prints
 * one line per case and the ratios last; `--out FILE` also writes JSON lines.
 *
 * It needs a GPU: on a machine without one it measures llvmpipe (the software adapter), which
 * says nothing about speed. Never run in CI. docs/performance.md has the numbers and how the
 * run on the GPU machine is prepared (scripts/gpu-bundle.mjs).
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { adamSetup, randomBatches } from './adamSetup.js';
import { parseGraphJson } from '../../src/core/graph/parseGraph.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { generateModelPy } from '../../src/export/pytorch/modelPy.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { selectBackend } from '../../src/engine/selectBackend.js';
import { DeferredReadTrainer } from '../../src/engine/train/DeferredReadTrainer.js';
import { takeGpuErrors } from '../../src/engine/webgpu/gpuErrors.js';

interface Case {
  readonly name: string;
  readonly template: string;
  readonly batch: number;
  readonly steps: number;
  readonly warmup: number;
}

const CASES: readonly Case[] = [
  { name: 'lenet', template: 'lenet-5.nnb.json', batch: 64, steps: 100, warmup: 10 },
  { name: 'resnet20', template: 'resnet-cifar.nnb.json', batch: 128, steps: 30, warmup: 5 },
  { name: 'resnet18', template: 'resnet-18.nnb.json', batch: 32, steps: 10, warmup: 3 },
];

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: CASES.map((c) => c.name).join(',') },
    'read-every': { type: 'string', default: '10' },
    repeats: { type: 'string', default: '3' },
    'steps-scale': { type: 'string', default: '1' },
    templates: { type: 'string' },
    python: { type: 'string', default: 'python3' },
    'no-torch': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'submit-batch': { type: 'string' },
    out: { type: 'string' },
  },
});
const here = dirname(fileURLToPath(import.meta.url));
const templates = values.templates ?? join(here, '../../templates');
const readEvery = Number(values['read-every']);
const repeats = Number(values.repeats);
const scale = Number(values['steps-scale']);

function record(line: object): void {
  if (values.out) appendFileSync(values.out, JSON.stringify(line) + '\n');
}

async function ours(
  graph: GraphDocument,
  c: Case,
): Promise<{ rate: number; runs: number[]; loss: number }> {
  const setup = adamSetup(graph, 'webgpu', 0);
  const { model, optimizer } = setup;
  const batches = randomBatches(model, c.batch, 4, 1);
  const trainer = new DeferredReadTrainer(setup, readEvery);
  let i = 0;
  let loss = NaN;
  const run = async (n: number) => {
    for (let k = 0; k < n; k++) {
      for (const r of await trainer.enqueue(batches[i++ % batches.length]!, 1e-3, false))
        loss = r.loss;
    }
    for (const r of await trainer.flush()) loss = r.loss;
  };
  const runs: number[] = [];
  const steps = Math.max(1, Math.round(c.steps * scale));
  try {
    if (values.profile) {
      await run(2);
      const profile = await tf.profile(() => run(1));
      const byKernel = new Map<string, { ms: number; count: number }>();
      let total = 0;
      for (const k of profile.kernels) {
        const ms = Number(k.kernelTimeMs) || 0;
        total += ms;
        const e = byKernel.get(k.name) ?? { ms: 0, count: 0 };
        byKernel.set(k.name, { ms: e.ms + ms, count: e.count + 1 });
      }
      const top = [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12);
      console.log(
        `  ${c.name} one step: ${profile.kernels.length} kernels, ${total.toFixed(2)} ms of GPU time by timestamps:\n` +
          top
            .map(
              ([name, e]) =>
                `    ${name} ×${e.count}: ${e.ms.toFixed(2)} ms (${((100 * e.ms) / Math.max(total, 1e-9)).toFixed(1)}%)`,
            )
            .join('\n'),
      );
      record({
        kind: 'profile',
        case: c.name,
        kernels: profile.kernels.length,
        totalMs: total,
        top: top.map(([name, e]) => ({ name, ...e })),
      });
    }
    for (let r = 0; r < repeats; r++) {
      await run(c.warmup);
      const t0 = performance.now();
      await run(steps);
      runs.push((steps * c.batch) / ((performance.now() - t0) / 1000));
    }
  } finally {
    await trainer.dispose();
    optimizer.dispose();
    model.dispose();
  }
  const errors = takeGpuErrors();
  if (errors.length > 0) throw new Error(`GPU errors: ${errors.join(' | ')}`);
  return { rate: median(runs), runs, loss };
}

function torch(graph: GraphDocument, c: Case, shape: readonly number[], classes: number) {
  const dir = mkdtempSync(join(tmpdir(), 'nnb-gpu-bench-'));
  try {
    const model = generateModelPy(graph);
    const path = join(dir, 'model.py');
    writeFileSync(path, model.source);
    const r = spawnSync(
      values.python,
      [
        join(here, 'torch_cuda_train.py'),
        path,
        model.className,
        '--shape',
        shape.join(','),
        '--classes',
        String(classes),
        '--batch',
        String(c.batch),
        '--steps',
        String(Math.max(1, Math.round(c.steps * scale * 3))),
        '--warmup',
        String(c.warmup * 2),
        '--repeats',
        String(repeats),
        '--read-every',
        String(readEvery),
      ],
      { encoding: 'utf8', timeout: 300_000 },
    );
    if (r.status !== 0)
      return `torch failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}`;
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      samplesPerSecond: number;
      device: string;
      torch: string;
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const selection = await selectBackend('webgpu');
if (values['submit-batch'] !== undefined) {
  // Kernels tfjs-backend-webgpu records before submitting them to the GPU (ours: 100).
  tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', Number(values['submit-batch']));
}
console.log(
  `webgpu on ${selection.device}; tfjs ${tf.version.tfjs}; read back every ${readEvery} steps`,
);
record({
  kind: 'device',
  device: selection.device,
  readEvery,
  submitBatch: tf.env().getNumber('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE'),
  env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('NNB_'))),
});
const ratios: string[] = [];
for (const c of CASES.filter((k) => values.cases.split(',').includes(k.name))) {
  const graph = parseGraphJson(readFileSync(join(templates, c.template), 'utf8'));
  if (!graph.ok) throw new Error(`${c.template}: ${graph.error}`);
  const started = performance.now();
  const mine = await ours(graph.graph, c);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${c.name} b${c.batch}: nnb webgpu ${mine.rate.toFixed(1)} samples/s (runs ${mine.runs.map((r) => r.toFixed(1)).join(', ')}; ${seconds} s; loss ${mine.loss.toFixed(4)})`,
  );
  record({ kind: 'nnb', case: c.name, batch: c.batch, ...mine });
  if (values['no-torch']) continue;
  const model = CompiledModel.compile(graph.graph, 0);
  const shape = model.inputShape; // PyTorch's C×H×W
  const classes = model.outputShape[0]!;
  model.dispose();
  const t = torch(graph.graph, c, shape, classes);
  if (typeof t === 'string') {
    console.log(`${c.name}: ${t}`);
    record({ kind: 'torch', case: c.name, error: t });
    continue;
  }
  console.log(
    `${c.name} b${c.batch}: PyTorch ${t.torch} on ${t.device} ${t.samplesPerSecond.toFixed(1)} samples/s`,
  );
  record({ kind: 'torch', case: c.name, batch: c.batch, ...t });
  ratios.push(`${c.name} b${c.batch}: ${(mine.rate / t.samplesPerSecond).toFixed(3)}× PyTorch`);
}
if (ratios.length > 0)
  console.log(`ratios (nnb webgpu / PyTorch, same GPU, same run):\n  ${ratios.join('\n  ')}`);
