import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { analyze, type GraphAnalysis, type NodeAnalysis } from '../../src/core/analysis/analyze.js';
import type { GraphDocument } from '../../src/core/graph/document.js';

// Checks analyze() against PyTorch itself: test/oracle/torch_oracle.py builds each template as a
// real torch.nn model (blocks as torchvision's BasicBlock/Bottleneck), runs it, and reports every
// layer's output shape, parameters, buffers and MACs. It needs Debian's python3-torch, which CI
// installs; elsewhere the suite is skipped with a visible reason.

/** Debian's interpreter (python3-torch), not a pyenv/venv python3; overridable for local setups. */
const PYTHON = process.env.NNB_ORACLE_PYTHON ?? '/usr/bin/python3';
const ORACLE = fileURLToPath(new URL('./torch_oracle.py', import.meta.url));
const templatesDir = fileURLToPath(new URL('../../templates/', import.meta.url));
const templateFiles = readdirSync(templatesDir)
  .filter((f) => f.endsWith('.nnb.json'))
  .sort();

const probe = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
const torchMissing =
  probe.error !== undefined
    ? `${PYTHON} cannot be run (${probe.error.message})`
    : probe.status !== 0
      ? `${PYTHON} cannot import torch/torchvision (${probe.stderr.trim().split('\n').pop() ?? ''})`
      : null;
if (torchMissing !== null && process.env.NNB_REQUIRE_TORCH === '1') {
  // CI installs PyTorch: there, a missing oracle is a broken setup, not a reason to skip.
  throw new Error(`NNB_REQUIRE_TORCH=1 but the PyTorch oracle cannot run: ${torchMissing}`);
}
if (torchMissing !== null) {
  console.warn(
    `Skipping the PyTorch oracle tests: ${torchMissing}. Install python3-torch and python3-torchvision to run them.`,
  );
}

const run = promisify(execFile);
async function oracle<T>(args: readonly string[]): Promise<T> {
  const { stdout } = await run(PYTHON, [ORACLE, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as T;
}

interface Counts {
  readonly type: string;
  readonly shape: readonly number[];
  readonly params: number;
  readonly trainableParams: number;
  readonly buffers: number;
  readonly macs: number;
}

interface GraphReport {
  readonly layers: Readonly<Record<string, Counts>>;
  readonly blocks: Readonly<Record<string, Counts & { readonly children: readonly string[] }>>;
  readonly outputs: Readonly<Record<string, readonly number[]>>;
  readonly totals: Omit<Counts, 'type' | 'shape'>;
}

interface TorchvisionReport {
  readonly output: readonly number[];
  readonly layers: readonly (Omit<Counts, 'trainableParams'> & { readonly name: string })[];
  readonly totals: Omit<Counts, 'type' | 'shape'>;
}

function ours(node: NodeAnalysis): Counts {
  return {
    type: node.type,
    shape: node.outputShape ?? [],
    params: node.params,
    trainableParams: node.trainableParams,
    buffers: node.buffers,
    macs: node.macs,
  };
}

/** Every field on which we and PyTorch disagree, one readable line each. */
function differences(analysis: GraphAnalysis, torch: GraphReport): string[] {
  const diffs: string[] = [];
  const compare = (id: string, mine: object, theirs: object) => {
    for (const [key, expected] of Object.entries(theirs)) {
      if (key === 'children') continue;
      const actual = (mine as Record<string, unknown>)[key];
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        diffs.push(
          `${id}.${key}: ours ${JSON.stringify(actual)}, torch ${JSON.stringify(expected)}`,
        );
      }
    }
  };
  for (const [id, expected] of Object.entries(torch.layers)) {
    const node = analysis.nodes.get(id);
    if (node === undefined) diffs.push(`${id}: missing from our analysis`);
    else compare(id, ours(node), expected);
  }
  for (const layer of analysis.layers) {
    if (!(layer.id in torch.layers)) diffs.push(`${layer.id}: a layer torch does not have`);
  }
  for (const [id, expected] of Object.entries(torch.blocks)) {
    const node = analysis.nodes.get(id);
    if (node === undefined) {
      diffs.push(`${id}: block missing from our analysis`);
      continue;
    }
    compare(id, ours(node), expected);
    if (
      JSON.stringify([...node.children].sort()) !== JSON.stringify([...expected.children].sort())
    ) {
      diffs.push(
        `${id}.children: ours ${node.children.join(', ')}, torch ${expected.children.join(', ')}`,
      );
    }
  }
  const outputs = Object.fromEntries(
    analysis.outputs.map((id) => [id, analysis.nodes.get(id)?.outputShape]),
  );
  compare('outputs', outputs, torch.outputs);
  compare('totals', analysis.totals, torch.totals);
  return diffs;
}

function load(file: string): GraphDocument {
  return JSON.parse(readFileSync(templatesDir + file, 'utf8')) as GraphDocument;
}

const TIMEOUT = 180_000;
/** Shown in the suite titles, so a skipped run says why in every reporter. */
const skipNote = torchMissing === null ? '' : ` (skipped: ${torchMissing})`;

describe.skipIf(torchMissing !== null)(
  `analyze() agrees with PyTorch on every template${skipNote}`,
  () => {
    it.each(templateFiles)(
      '%s: every layer’s shape, params, buffers and MACs, and the totals',
      async (file) => {
        const torch = await oracle<GraphReport>([templatesDir + file]);
        const analysis = analyze(load(file));
        expect(Object.keys(torch.layers).length).toBeGreaterThan(1);
        expect(differences(analysis, torch)).toEqual([]);
      },
      TIMEOUT,
    );
  },
);

// Graphs that exercise what the templates do not: odd sizes, ceil-mode and adaptive pools,
// transposed convolutions, upsampling, merges, sequence inputs, frozen layers, every block option.
const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixtureFiles = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.nnb.json'))
  .sort();

describe.skipIf(torchMissing !== null)(
  `analyze() agrees with PyTorch on the oracle fixtures${skipNote}`,
  () => {
    it.each(fixtureFiles)(
      '%s',
      async (file) => {
        const torch = await oracle<GraphReport>([fixturesDir + file]);
        const analysis = analyze(
          JSON.parse(readFileSync(fixturesDir + file, 'utf8')) as GraphDocument,
        );
        const errors = analysis.diagnostics
          .filter((d) => d.severity === 'error')
          .map((d) => d.message);
        expect(errors).toEqual([]);
        expect(differences(analysis, torch)).toEqual([]);
      },
      TIMEOUT,
    );
  },
);

/** Layers with weights, as comparable rows: what torchvision builds must be what we count. */
function weightedRows(
  layers: readonly {
    type: string;
    shape: readonly number[];
    params: number;
    buffers: number;
    macs: number;
  }[],
): string[] {
  return layers
    .filter((l) => l.params > 0 || l.buffers > 0)
    .map(
      (l) =>
        `${l.type} ${l.shape.join('×')} params=${l.params} buffers=${l.buffers} macs=${l.macs}`,
    )
    .sort();
}

const TORCHVISION = [
  { model: 'alexnet', file: 'alexnet.nnb.json' },
  { model: 'vgg16', file: 'vgg-16.nnb.json' },
  { model: 'resnet18', file: 'resnet-18.nnb.json' },
] as const;

describe.skipIf(torchMissing !== null)(`templates match torchvision.models${skipNote}`, () => {
  it.each(TORCHVISION)(
    '$file, built by the oracle, is torchvision.models.$model() (checks the template and the oracle)',
    async ({ model, file }) => {
      const [built, reference] = await Promise.all([
        oracle<GraphReport>([templatesDir + file]),
        oracle<TorchvisionReport>(['--torchvision', model]),
      ]);
      expect(built.totals).toEqual(reference.totals);
      expect(Object.values(built.outputs)).toEqual([reference.output]);
      expect(weightedRows(Object.values(built.layers))).toEqual(weightedRows(reference.layers));
    },
    TIMEOUT,
  );

  it.each(TORCHVISION)(
    '$file equals torchvision.models.$model()',
    async ({ model, file }) => {
      const torch = await oracle<TorchvisionReport>(['--torchvision', model]);
      const analysis = analyze(load(file));
      expect({
        params: analysis.totals.params,
        buffers: analysis.totals.buffers,
        macs: analysis.totals.macs,
        output: analysis.nodes.get(analysis.outputs[0] ?? '')?.outputShape,
      }).toEqual({
        params: torch.totals.params,
        buffers: torch.totals.buffers,
        macs: torch.totals.macs,
        output: torch.output,
      });
      expect(weightedRows(analysis.layers.map(ours))).toEqual(weightedRows(torch.layers));
    },
    TIMEOUT,
  );
});
