// npm run bench — training throughput of our tfjs WASM engine beside PyTorch 1.13 CPU, same graph,
// data, batch and optimizer, measured in the same run (docs/performance.md).
import { existsSync, readFileSync } from 'node:fs';
import type { GraphDocument } from '../src/core/graph/document.js';
import {
  autoThreads,
  measureTfjs,
  median,
  type Throughput,
  type TrainingRunOptions,
} from './tfjsTraining.js';
import { measureTorch, type TorchThroughput } from './torchTraining.js';
import { loadDigits, randomImages, type BenchData } from './trainingData.js';

const TARGET_RATIO = 1.0;

/** A file of templates/, from dist/bench/ (npm run bench) or from bench/ (tsx). */
function templateFile(file: string): unknown {
  const urls = ['../../templates/', '../templates/'].map(
    (d) => new URL(`${d}${file}`, import.meta.url),
  );
  const url = urls.find((u) => existsSync(u)) ?? urls[0]!;
  return JSON.parse(readFileSync(url, 'utf8'));
}

function template(name: string): GraphDocument {
  return templateFile(`${name}.nnb.json`) as GraphDocument;
}

/** The variants of a lesson (`*.nnb-compare.json`), by name. */
function lessonVariants(name: string): { name: string; graph: GraphDocument }[] {
  const lesson = templateFile(`${name}.nnb-compare.json`) as {
    variants: { name: string; graph: GraphDocument }[];
  };
  return lesson.variants;
}

const fmt = (v: number): string => Math.round(v).toLocaleString('en-US');

function line(label: string, t: Throughput): void {
  console.log(
    `  ${label.padEnd(62)} median ${fmt(t.samplesPerSecond).padStart(6)} samples/s` +
      `  (runs ${t.runs.map(fmt).join(', ')}; last loss ${t.lastLoss.toFixed(3)})`,
  );
}

interface Config {
  readonly label: string;
  /** One timed run (its own warm-up first); a string says why it could not run. */
  readonly run: (once: TrainingRunOptions) => Promise<Throughput | string>;
  readonly side: 'nnb' | 'torch';
}

/**
 * Trains one graph with our engine (the old TorchOptimizer step; `nnb train`'s step on one thread;
 * `nnb train`'s step as it runs, data-parallel for graphs without BatchNorm) and with PyTorch (its default thread count, and 2 threads). The repeats are interleaved — one
 * run of every configuration per round — so that a change in the machine's load between rounds
 * hits both sides alike. Returns best nnb / best PyTorch median, or undefined without PyTorch.
 */
async function compare(
  title: string,
  graph: GraphDocument,
  data: BenchData,
  options: TrainingRunOptions,
): Promise<number | undefined> {
  console.log(
    `training — ${title}: batch ${options.batch}, Adam lr ${options.lr}, ${data.name}; ` +
      `median of ${options.repeats} interleaved rounds of ${options.steps} steps, each after ${options.warmup} warm-up steps`,
  );
  const torchLabel = (t: TorchThroughput, threads: number): string =>
    `PyTorch ${t.version} CPU, ${t.threads} thread${t.threads === 1 ? '' : 's'}${threads === 0 ? ' (default)' : ''}`;
  const torchRun = (threads: number) => async (once: TrainingRunOptions) => {
    const t = measureTorch(graph, data, once, threads);
    if (typeof t !== 'string') labels.set(`torch${threads}`, torchLabel(t, threads));
    return t;
  };
  const labels = new Map<string, string>();
  const threads = await autoThreads(graph);
  const configs: Config[] = [
    { label: 'engine', side: 'nnb', run: (o) => measureTfjs(graph, data, o, 'torch-optimizer') },
    { label: 'train1', side: 'nnb', run: (o) => measureTfjs(graph, data, o, 'train-1') },
    ...(threads > 1
      ? [
          {
            label: 'train',
            side: 'nnb',
            run: (o) => measureTfjs(graph, data, o, 'train-auto'),
          } as Config,
        ]
      : []),
    { label: 'torch0', side: 'torch', run: torchRun(0) },
    { label: 'torch2', side: 'torch', run: torchRun(2) },
  ];
  labels.set('engine', 'nnb, engine step with TorchOptimizer (tfjs ops), 1 thread');
  labels.set(
    'train1',
    `nnb train's step (FlatAdam), 1 thread${threads === 1 ? ' — what nnb train runs here' : ''}`,
  );
  labels.set(
    'train',
    `nnb train's step, data-parallel on ${threads} threads — what nnb train runs`,
  );
  const runs = new Map<string, Throughput[]>(configs.map((c) => [c.label, []]));
  for (let round = 0; round < options.repeats; round++) {
    for (const c of configs) {
      const t = await c.run({ ...options, repeats: 1 });
      if (typeof t === 'string') {
        console.log(`  reference: PyTorch unavailable — ${t}`);
        return undefined;
      }
      runs.get(c.label)!.push(t);
    }
  }
  const medians = new Map<string, Throughput>();
  for (const c of configs) {
    const list = runs.get(c.label)!;
    const rates = list.map((t) => t.samplesPerSecond);
    const m: Throughput = {
      samplesPerSecond: median(rates),
      runs: rates,
      lastLoss: list[list.length - 1]!.lastLoss,
    };
    medians.set(c.label, m);
    line(labels.get(c.label) ?? c.label, m);
  }
  const best = (side: Config['side']): number =>
    Math.max(
      ...configs.filter((c) => c.side === side).map((c) => medians.get(c.label)!.samplesPerSecond),
    );
  const bestTorch = best('torch');
  const ratio = best('nnb') / bestTorch;
  const r = (label: string): string =>
    (medians.get(label)!.samplesPerSecond / bestTorch).toFixed(2);
  const train = medians.has('train') ? 'train' : 'train1';
  console.log(
    `  ratio nnb / PyTorch (best of each): ${ratio.toFixed(2)}` +
      `  (nnb train ${r(train)}, TorchOptimizer step ${r('engine')})`,
  );
  return ratio;
}

export async function trainingBenchmark(): Promise<{ met: boolean }> {
  // NNB_BENCH_ONLY=lenet|resnet|lessons runs one part.
  const only = process.env.NNB_BENCH_ONLY;
  const want = (part: string): boolean => only === undefined || only === '' || only === part;
  const lenetRatio = want('lenet')
    ? await compare('LeNet-5', template('lenet-5'), loadDigits(), {
        batch: 64,
        warmup: 50,
        steps: 300,
        repeats: 3,
        lr: 1e-3,
      })
    : undefined;
  // ResNet-20 steps take ~50× longer: fewer of them, still after a warm-up.
  if (want('resnet'))
    await compare(
      'ResNet-20 (CIFAR)',
      template('resnet-cifar'),
      randomImages(1024, [3, 32, 32], 10),
      { batch: 64, warmup: 2, steps: 8, repeats: 3, lr: 1e-3 },
    );
  // The instructors' lesson: one 7×7 conv beside three stacked 3×3 convs, on the digits.
  if (want('lessons'))
    for (const v of lessonVariants('lesson-7x7-vs-3x3'))
      await compare(`Lesson 7×7 vs 3×3: ${v.name}`, v.graph, loadDigits(), {
        batch: 64,
        warmup: 10,
        steps: 60,
        repeats: 3,
        lr: 1e-3,
      });
  // Only a measured LeNet-5 ratio can miss the target (NNB_BENCH_ONLY may skip it).
  const met = lenetRatio === undefined || lenetRatio >= TARGET_RATIO;
  console.log(
    `  LeNet-5 target ratio ≥ ${TARGET_RATIO.toFixed(1)}: ${lenetRatio === undefined ? 'not measured' : met ? 'met' : 'NOT MET'}`,
  );
  return { met };
}
