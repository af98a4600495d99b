import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { parseGraphJson } from '../../src/core/graph/parseGraph.js';
import { ExportError } from '../../src/export/ExportError.js';
import { exportOnnx } from '../../src/export/onnx/exportOnnx.js';
import {
  largestDifference,
  prepareCase,
  referenceOutput,
  runReference,
  type ExportCase,
  type ReferenceJob,
} from './exportCase.js';
import { LAYER_CASES } from './layerCases.js';
import { PYTHON, torchMissing } from './torchAvailable.js';

const ROOT = join(import.meta.dirname, '..', '..');
const load = (file: string): GraphDocument => {
  const parsed = parseGraphJson(readFileSync(join(ROOT, file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.graph;
};
const GRAPHS: Record<string, GraphDocument> = {
  ...Object.fromEntries(
    [
      ...readdirSync(join(ROOT, 'templates'))
        .filter((f) => f.endsWith('.nnb.json'))
        .map((f) => `templates/${f}`),
      ...readdirSync(join(ROOT, 'test/oracle/fixtures')).map((f) => `test/oracle/fixtures/${f}`),
    ].map((f) => [f, load(f)]),
  ),
  ...LAYER_CASES,
};
/** Graphs with a layer ONNX cannot express, and the reason the export must give. */
const INEXPRESSIBLE: Record<string, RegExp> = {
  'test/oracle/fixtures/sampling-and-merges.nnb.json':
    /cannot be exported to ONNX: .*(circular|uneven)/,
  'test/oracle/fixtures/blocks.nnb.json': /BatchNorm2d .* without running statistics/,
};
const onnxMissing =
  spawnSync(PYTHON, ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0
    ? null
    : `${PYTHON} cannot import onnx`;
const missing = torchMissing ?? onnxMissing;
if (onnxMissing !== null && process.env.NNB_REQUIRE_TORCH === '1') {
  throw new Error(`NNB_REQUIRE_TORCH=1 but onnx.checker cannot run: ${onnxMissing}`);
}

describe('ONNX export', () => {
  describe.skipIf(missing !== null)(
    `checked by onnx.checker, run in onnxruntime, equal to PyTorch${missing ? ` (skipped: ${missing})` : ''}`,
    () => {
      const cases = new Map<string, ExportCase | ExportError>();
      let reference: Record<string, string | null> = {};

      beforeAll(() => {
        const jobs: ReferenceJob[] = [];
        for (const [name, graph] of Object.entries(GRAPHS)) {
          const c = prepareCase(graph);
          try {
            writeFileSync(join(c.dir, 'model.onnx'), exportOnnx(graph, c.state));
          } catch (error) {
            if (!(error instanceof ExportError)) throw error;
            cases.set(name, error);
            continue;
          }
          cases.set(name, c);
          jobs.push({
            dir: c.dir,
            batch: c.batch,
            inputs: c.inputs.map((i) => i.file),
            onnx: true,
          });
        }
        reference = runReference(jobs);
      }, 300_000);

      it.each(Object.keys(GRAPHS))('%s', async (name) => {
        const c = cases.get(name);
        if (c instanceof ExportError || INEXPRESSIBLE[name] !== undefined) {
          expect(c, `${name} should be refused with a reason`).toBeInstanceOf(ExportError);
          expect((c as ExportError).message).toMatch(INEXPRESSIBLE[name] ?? /^$/);
          return;
        }
        if (c === undefined) throw new Error(`no case ${name}`);
        expect(reference[c.dir], 'onnx.checker and the PyTorch reference').toBeNull();
        const session = await ort.InferenceSession.create(join(c.dir, 'model.onnx'));
        expect(session.inputNames).toEqual(c.inputs.map((i) => i.id));
        expect(session.outputNames).toEqual([...c.analysis.outputs]);
        const feeds = Object.fromEntries(
          c.inputs.map((i) => [i.id, new ort.Tensor('float32', i.data, i.shape)]),
        );
        const result = await session.run(feeds);
        c.analysis.outputs.forEach((id, i) => {
          expect(result[id]?.dims).toEqual([
            c.batch,
            ...(c.analysis.nodes.get(id)?.outputShape ?? []),
          ]);
          expect(
            largestDifference(referenceOutput(c, i), result[id]?.data as Float32Array),
            id,
          ).toBeLessThan(1e-4);
        });
      });
    },
  );
});
