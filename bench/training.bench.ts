// npm run bench — training throughput of our tfjs WASM engine beside PyTorch 1.13 CPU, same graph,
// data, batch and optimizer, measured in the same run (docs/performance.md).
import { existsSync, readFileSync } from 'node:fs';
import type { GraphDocument } from '../src/core/graph/document.js';
import {
  measureReplicas,
  measureTfjs,
  type Throughput,
  type TrainingRunOptions,
} from './tfjsTraining.js';
import { measureTorch, type TorchThroughput } from './torchTraining.js';
import { loadDigits, randomImages, type BenchData } from './trainingData.js';

const TARGET_RATIO = 1.0;

function template(name: string): GraphDocument {
  // From dist/bench/ (npm run bench) or from bench/ (tsx).
  const urls = ['../../templates/', '../templates/'].map(
    (d) => new URL(`${d}${name}.nnb.json`, import.meta.url),
  );
  const url = urls.find((u) => existsSync(u)) ?? urls[0]!;
  return JSON.parse(readFileSync(url, 'utf8')) as GraphDocument;
}

const fmt = (v: number): string => Math.round(v).toLocaleString('en-US');

function line(label: string, t: Throughput): void {
  console.log(
    `  ${label.padEnd(44)} median ${fmt(t.samplesPerSecond).padStart(6)} samples/s` +
      `  (runs ${t.runs.map(fmt).join(', ')}; last loss ${t.lastLoss.toFixed(3)})`,
  );
}

/**
 * Trains one graph with our engine (the engine's step; FlatAdam; data-parallel on two threads)
 * and with PyTorch (its default thread count, then 2 threads); returns best nnb / best PyTorch,
 * or undefined without PyTorch.
 */
async function compare(
  title: string,
  graph: GraphDocument,
  data: BenchData,
  options: TrainingRunOptions,
  parallelNote: string,
): Promise<number | undefined> {
  console.log(
    `training — ${title}: batch ${options.batch}, Adam lr ${options.lr}, ${data.name}; ` +
      `median of ${options.repeats} × ${options.steps} steps after ${options.warmup} warm-up steps each`,
  );
  const single = await measureTfjs(graph, data, options);
  line(`nnb, tfjs ${single.backend} + our kernels, 1 thread, engine step`, single);
  const flat = await measureReplicas(graph, data, options, false);
  line('nnb, 1 thread, FlatAdam', flat);
  const parallel = await measureReplicas(graph, data, options, true);
  line(`nnb, data-parallel on 2 threads, FlatAdam${parallelNote}`, parallel);
  const torch: TorchThroughput[] = [];
  for (const threads of [0, 2]) {
    const t = measureTorch(graph, data, options, threads);
    if (typeof t === 'string') {
      console.log(`  reference: PyTorch unavailable — ${t}`);
      return undefined;
    }
    if (torch.some((u) => u.threads === t.threads)) continue;
    torch.push(t);
    line(
      `PyTorch ${t.version} CPU, ${t.threads} thread${t.threads === 1 ? '' : 's'}${threads === 0 ? ' (default)' : ''}`,
      t,
    );
  }
  const best = (list: readonly Throughput[]): number =>
    Math.max(...list.map((t) => t.samplesPerSecond));
  const bestTorch = best(torch);
  const ratio = best([single, flat, parallel]) / bestTorch;
  console.log(
    `  ratio nnb / PyTorch (best of each): ${ratio.toFixed(2)}` +
      `  (engine step ${(single.samplesPerSecond / bestTorch).toFixed(2)}, FlatAdam ${(flat.samplesPerSecond / bestTorch).toFixed(2)}, data-parallel ${(parallel.samplesPerSecond / bestTorch).toFixed(2)})`,
  );
  return ratio;
}

export async function trainingBenchmark(): Promise<{ met: boolean }> {
  const lenetRatio = await compare(
    'LeNet-5',
    template('lenet-5'),
    loadDigits(),
    { batch: 64, warmup: 50, steps: 300, repeats: 3, lr: 1e-3 },
    '',
  );
  // ResNet-20 steps take ~50× longer: fewer of them, still after a warm-up.
  await compare(
    'ResNet-20 (CIFAR)',
    template('resnet-cifar'),
    randomImages(1024, [3, 32, 32], 10),
    { batch: 64, warmup: 3, steps: 12, repeats: 3, lr: 1e-3 },
    ' (BatchNorm per half)',
  );
  const met = lenetRatio !== undefined && lenetRatio >= TARGET_RATIO;
  console.log(
    `  LeNet-5 target ratio ≥ ${TARGET_RATIO.toFixed(1)}: ${lenetRatio === undefined ? 'not measured' : met ? 'met' : 'NOT MET'}`,
  );
  return { met };
}
