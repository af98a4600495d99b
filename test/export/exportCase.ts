import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze, type GraphAnalysis } from '../../src/core/analysis/analyze.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { initialStateDict, seededRandom } from '../../src/core/weights/initialStateDict.js';
import type { StateDict, WeightTensor } from '../../src/core/weights/StateDict.js';
import { exportPyTorch } from '../../src/export/pytorch/exportPyTorch.js';
import { PYTHON } from './torchAvailable.js';

/** The folders written by this test file's cases (VGG-16's weights alone are 0.5 GB), removed after it. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A graph prepared for an export test: its folder, weights, PyTorch bundle and random inputs. */
export interface ExportCase {
  readonly dir: string;
  readonly graph: GraphDocument;
  readonly analysis: GraphAnalysis;
  readonly state: StateDict;
  readonly batch: number;
  /** Per Input node: its id, shape with batch, data and the raw file it was written to. */
  readonly inputs: readonly { id: string; shape: number[]; data: Float32Array; file: string }[];
}

/**
 * Seeded weights with BatchNorm statistics made non-trivial (PyTorch's initial mean 0 / var 1
 * would let a wrong normalization pass), the PyTorch export written, and seeded inputs.
 */
export function prepareCase(graph: GraphDocument, seed = 3, batch = 2): ExportCase {
  const analysis = analyze(graph);
  const random = seededRandom(seed + 100);
  const state = new Map<string, WeightTensor>();
  for (const [key, tensor] of initialStateDict(analysis, seed)) {
    const stat = /\.(running_mean|running_var|weight|bias)$/.exec(key)?.[1];
    const bn = analysis.nodes.get(key.slice(0, key.lastIndexOf('.')))?.type.startsWith('BatchNorm');
    if (bn && stat !== undefined && tensor.dtype === 'float32') {
      const data = Float32Array.from(tensor.data, () =>
        stat === 'running_var' ? 0.5 + random() : random() * 2 - 1,
      );
      state.set(key, { ...tensor, data });
    } else state.set(key, tensor);
  }
  const dir = mkdtempSync(join(tmpdir(), 'nnb-export-'));
  made.push(dir);
  for (const [name, content] of exportPyTorch(graph, state, 'graph.nnb.json'))
    writeFileSync(join(dir, name), content);
  const inputs = analysis.layers
    .filter((l) => l.type === 'Input')
    .map((l, i) => {
      const shape = [batch, ...(l.outputShape ?? [])];
      const data = Float32Array.from(
        { length: shape.reduce((a, b) => a * b, 1) },
        () => random() * 2 - 1,
      );
      const file = join(dir, `in${i}.f32`);
      writeFileSync(file, data);
      return { id: l.id, shape, data, file };
    });
  return { dir, graph, analysis, state, batch, inputs };
}

/** The PyTorch reference output `i` written by run_reference.py. */
export function referenceOutput(c: ExportCase, i: number): Float32Array {
  const bytes = readFileSync(join(c.dir, `ref${i}.f32`));
  return new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
}

/** Largest difference, relative to the reference where it exceeds 1. */
export function largestDifference(want: Float32Array, got: ArrayLike<number>): number {
  if (want.length !== got.length) return Infinity;
  let worst = 0;
  want.forEach(
    (w, j) => (worst = Math.max(worst, Math.abs(w - (got[j] ?? NaN)) / Math.max(1, Math.abs(w)))),
  );
  return Number.isNaN(worst) ? Infinity : worst;
}

/** One job of run_reference.py: a prepared folder, optionally with its model.onnx to check. */
export interface ReferenceJob {
  readonly dir: string;
  readonly batch: number;
  readonly inputs: readonly string[];
  readonly onnx?: boolean;
}

/** Runs the PyTorch reference (and onnx.checker) for all jobs in one Python process: folder → error or null. */
export function runReference(jobs: readonly ReferenceJob[]): Record<string, string | null> {
  const manifest = join(tmpdir(), `nnb-reference-${process.pid}-${Date.now()}.json`);
  writeFileSync(manifest, JSON.stringify(jobs));
  const run = spawnSync(PYTHON, [join(import.meta.dirname, 'run_reference.py'), manifest], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, string | null>;
}
