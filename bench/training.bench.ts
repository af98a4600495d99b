// npm run bench — training throughput of our tfjs WASM engine beside PyTorch 1.13 CPU, same graph,
// data, batch and optimizer, measured in the same run (docs/performance.md).
import { existsSync, readFileSync } from 'node:fs';
import type { GraphDocument } from '../src/core/graph/document.js';
import { measureTfjs, type TrainingRunOptions } from './tfjsTraining.js';
import { measureTorch } from './torchTraining.js';
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

/** Trains one graph on both sides; returns tfjs/PyTorch, or undefined without PyTorch. */
async function compare(
  title: string,
  graph: GraphDocument,
  data: BenchData,
  options: TrainingRunOptions,
): Promise<number | undefined> {
  console.log(
    `training — ${title}: batch ${options.batch}, Adam lr ${options.lr}, ${data.name}; ` +
      `${options.repeats} repeats of ${options.steps} steps after ${options.warmup} warm-up steps`,
  );
  const ours = await measureTfjs(graph, data, options);
  console.log(
    `  nnb (tfjs ${ours.backend} + our kernels): median ${fmt(ours.samplesPerSecond)} samples/s` +
      `  (runs ${ours.runs.map(fmt).join(', ')}; last loss ${ours.lastLoss.toFixed(3)})`,
  );
  const torch = measureTorch(graph, data, options);
  if (typeof torch === 'string') {
    console.log(`  reference: PyTorch unavailable — ${torch}`);
    return undefined;
  }
  console.log(
    `  PyTorch ${torch.version} CPU (${torch.threads} thread${torch.threads === 1 ? '' : 's'}): median ${fmt(torch.samplesPerSecond)} samples/s` +
      `  (runs ${torch.runs.map(fmt).join(', ')}; last loss ${torch.lastLoss.toFixed(3)})`,
  );
  const ratio = ours.samplesPerSecond / torch.samplesPerSecond;
  console.log(`  ratio nnb / PyTorch: ${ratio.toFixed(2)}`);
  return ratio;
}

export async function trainingBenchmark(): Promise<{ met: boolean }> {
  const lenetRatio = await compare('LeNet-5', template('lenet-5'), loadDigits(), {
    batch: 64,
    warmup: 30,
    steps: 300,
    repeats: 3,
    lr: 1e-3,
  });
  // ResNet-20 steps take ~50× longer: fewer of them, still past the warm-up.
  await compare(
    'ResNet-20 (CIFAR)',
    template('resnet-cifar'),
    randomImages(1024, [3, 32, 32], 10),
    {
      batch: 64,
      warmup: 3,
      steps: 15,
      repeats: 3,
      lr: 1e-3,
    },
  );
  const met = lenetRatio !== undefined && lenetRatio >= TARGET_RATIO;
  console.log(
    `  LeNet-5 target ratio ≥ ${TARGET_RATIO.toFixed(1)}: ${lenetRatio === undefined ? 'not measured' : met ? 'met' : 'NOT MET'}`,
  );
  return { met };
}
