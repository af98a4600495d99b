import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { parseGraphJson } from '../../src/core/graph/parseGraph.js';
import { ExportError } from '../../src/export/ExportError.js';
import { generateModelPy } from '../../src/export/pytorch/modelPy.js';
import { chain } from '../helpers.js';
import { PYTHON, torchMissing } from './torchAvailable.js';

const ROOT = join(import.meta.dirname, '..', '..');
const graphs = [
  ...readdirSync(join(ROOT, 'templates'))
    .filter((f) => f.endsWith('.nnb.json'))
    .map((f) => join(ROOT, 'templates', f)),
  ...readdirSync(join(ROOT, 'test', 'oracle', 'fixtures'))
    .filter((f) => f.endsWith('.nnb.json'))
    .map((f) => join(ROOT, 'test', 'oracle', 'fixtures', f)),
];
const dir = mkdtempSync(join(tmpdir(), 'nnb-pytorch-'));

interface Inspected {
  per_module: Record<string, { params: number; buffers: number; trainable: number }>;
  outputs: number[][];
}

describe('PyTorch model.py', () => {
  it('refuses a graph with errors, naming the problem', () => {
    const bad = chain([1, 28, 28], ['fc', 'Linear', { out_features: 10 }]);
    expect(() => generateModelPy(bad)).toThrow(ExportError);
    expect(() => generateModelPy(bad)).toThrow(/Linear "fc" expects a flat input/);
  });

  describe.skipIf(torchMissing !== null)(
    `loads in PyTorch with the analysis' numbers${torchMissing ? ` (skipped: ${torchMissing})` : ''}`,
    () => {
      it.each(graphs.map((g) => [g.slice(ROOT.length + 1), g]))('%s', (_name, path) => {
        const parsed = parseGraphJson(readFileSync(path, 'utf8'));
        if (!parsed.ok) throw new Error(parsed.error);
        const model = generateModelPy(parsed.graph);
        const file = join(dir, `${model.className}_${Math.random().toString(36).slice(2)}.py`);
        writeFileSync(file, model.source);
        const run = spawnSync(
          PYTHON,
          [join(import.meta.dirname, 'inspect_model.py'), file, model.className],
          { encoding: 'utf8' },
        );
        expect(run.stderr).toBe('');
        const got = JSON.parse(run.stdout) as Inspected;
        const analysis = analyze(parsed.graph);
        // Every weighted layer is a module whose state_dict prefix is its id with "/" → ".".
        for (const layer of analysis.layers.filter((l) => l.params + l.buffers > 0)) {
          const [top = '', ...inner] = layer.id.split('/');
          const prefix = [model.attributes.get(top) ?? top, ...inner].join('.');
          expect(got.per_module[prefix], layer.id).toEqual({
            params: layer.params,
            buffers: layer.buffers,
            trainable: layer.trainableParams,
          });
        }
        const total = Object.values(got.per_module).reduce((s, m) => s + m.params, 0);
        expect(total).toBe(analysis.totals.params);
        expect(got.outputs).toEqual(
          analysis.outputs.map((id) => analysis.nodes.get(id)?.outputShape),
        );
      });
    },
  );
});
