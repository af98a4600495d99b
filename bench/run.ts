// npm run bench — speed targets measured side by side with a reference, never as timed unit tests.
import { analysisBenchmark } from './analysis.bench.js';
import { endToEndBenchmark } from './endToEnd.bench.js';
import { trainingBenchmark } from './training.bench.js';
import { enableRelaxedSimd } from '../src/engine/wasm/relaxedSimdNode.js';

// The steady-state runs train in this process: with the fused multiply-add, as `nnb train` does.
enableRelaxedSimd();

const benchmarks = [analysisBenchmark, trainingBenchmark, endToEndBenchmark];
let failed = false;
for (const bench of benchmarks) {
  const result = await bench();
  failed ||= !result.met;
}
process.exitCode = failed ? 1 : 0;
