import { spawnSync } from 'node:child_process';
import { analyze } from '../src/core/analysis/analyze.js';
import { bottleneckResNet, RESNET_152 } from './graphs.js';

const TARGET_MS = 5;

/** Median of `runs` timings of fn, in milliseconds, after a warm-up. */
function median(fn: () => void, runs: number): number {
  for (let i = 0; i < 20; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? NaN;
}

/** PyTorch's own shape inference of ResNet-152 (forward on meta tensors, no arithmetic), if torch is here. */
function torchMetaForwardMs(): number | undefined {
  const script = `
import time, torch, torchvision, statistics
m = torchvision.models.resnet152().to('meta').eval()
x = torch.empty(1, 3, 224, 224, device='meta')
with torch.no_grad():
    for _ in range(3): m(x)
    t = []
    for _ in range(30):
        t0 = time.perf_counter(); m(x); t.append((time.perf_counter() - t0) * 1000)
print(statistics.median(t))`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : undefined;
}

export async function analysisBenchmark(): Promise<{ met: boolean }> {
  const flat = bottleneckResNet(RESNET_152, true);
  const blocks = bottleneckResNet(RESNET_152, false);
  const a = analyze(flat);
  if (a.hasErrors) throw new Error(`benchmark graph is invalid: ${a.diagnostics[0]?.message}`);
  const flatMs = median(() => analyze(flat), 300);
  const blockMs = median(() => analyze(blocks), 300);
  const torchMs = torchMetaForwardMs();
  const met = flatMs < TARGET_MS;
  console.log(
    `analysis — ResNet-152 (${flat.nodes.length} primitive nodes, ${a.totals.params.toLocaleString('en-US')} params)`,
  );
  console.log(
    `  nnb analyze, primitives:          median ${flatMs.toFixed(2)} ms  (target < ${TARGET_MS} ms: ${met ? 'met' : 'NOT MET'})`,
  );
  console.log(
    `  nnb analyze, ${blocks.nodes.length} nodes with blocks:  median ${blockMs.toFixed(2)} ms`,
  );
  console.log(
    torchMs === undefined
      ? '  reference: PyTorch not available (apt-get install python3-torch python3-torchvision)'
      : `  reference: PyTorch 1.13 forward on meta tensors (shape inference only): median ${torchMs.toFixed(2)} ms` +
          `  → nnb is ${(torchMs / flatMs).toFixed(1)}× faster`,
  );
  return { met };
}
