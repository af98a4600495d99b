// ResNet-20's gradients on WASM, on the CPU backend and in PyTorch float32 against PyTorch
// float64, per parameter tensor and batch size: the measurement behind docs/performance.md,
// "Exactness of the WASM gradients against PyTorch float64". Not a test (minutes on the CPU
// backend); gradientsFloat64.test.ts is the test.
//
//   npx tsx test/engine/wasm/resnetGradientSweep.ts [batches=1,2,…,16] [side=32] [cpu=1] > table.tsv
//
// The template as shipped (default initialization, seed 7), inputs uniform in [−1, 1) with seed
// 100 + N, labels (7·i + N) mod 10. Prints one row per batch size and tensor: the tensor's largest
// |float64 gradient|, then the largest |error| of WASM, CPU and PyTorch float32, and the smallest
// |ReLU input| of the float64 pass; a summary per batch size goes to stderr.
import * as tf from '@tensorflow/tfjs';
import { CompiledModel } from '../../../src/engine/model/CompiledModel.js';
import { randomInput, weightsJson } from '../modelHelpers.js';
import { initBackends } from './backendCompare.js';
import { maxDiff, resnet20, runFloat64, torchLayoutGradients } from './float64Reference.js';

const [batchArg, sideArg, cpuArg] = process.argv.slice(2);
const batches = (batchArg ?? '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16').split(',').map(Number);
const side = Number(sideArg ?? 32);
const withCpu = (cpuArg ?? '1') === '1';

await initBackends();
await tf.setBackend('wasm');
const graph = resnet20(side);
const model = CompiledModel.compile(graph, 7);
const weights = weightsJson(model);
const cases = batches.map((n) => ({
  n,
  input: randomInput([3, side, side], n, 100 + n),
  labels: Array.from({ length: n }, (_, i) => (7 * i + n) % 10),
}));
const reference = runFloat64(
  cases.map((c) => ({ graph, weights, input: c.input.torch, labels: c.labels, float32: true })),
);

const e = (x: number) => x.toExponential(2);
console.log('N\ttensor\tmax|g64|\twasm\tcpu\ttorch32\treluMargin');
console.error('N\tworst wasm/max|g64| (tensor)\tworst cpu\tworst torch32\trelu margin');
for (const [i, c] of cases.entries()) {
  const exact = reference[i]!;
  await tf.setBackend('wasm');
  const wasm = torchLayoutGradients(model, c.input.ours, c.labels).grads;
  let cpu: Map<string, Float32Array> | null = null;
  if (withCpu) {
    await tf.setBackend('cpu');
    cpu = torchLayoutGradients(model, c.input.ours, c.labels).grads;
  }
  const worst = { wasm: [0, ''] as [number, string], cpu: 0, torch: 0 };
  for (const [key, ours] of wasm) {
    const g64 = exact.grads[key]!;
    const w = maxDiff(ours, g64);
    const p = cpu ? maxDiff(cpu.get(key)!, g64).err : NaN;
    const t = maxDiff(exact.float32!.grads[key]!, g64).err;
    console.log([c.n, key, e(w.scale), e(w.err), e(p), e(t), e(exact.reluMargin)].join('\t'));
    if (w.err / w.scale > worst.wasm[0]) worst.wasm = [w.err / w.scale, key];
    worst.cpu = Math.max(worst.cpu, p / w.scale);
    worst.torch = Math.max(worst.torch, t / w.scale);
  }
  console.error(
    [c.n, `${e(worst.wasm[0])} (${worst.wasm[1]})`, e(worst.cpu), e(worst.torch)].join('\t') +
      `\t${e(exact.reluMargin)}`,
  );
}
