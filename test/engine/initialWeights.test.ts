// Fine-tuning from imported weights (TrainConfig.initialWeights) and the Inspect views of them
// (a graph source's weightsFrom): every layer that fits takes the weights exactly, an edited one
// starts fresh and is named, and nothing is mixed up with resuming.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { initialStateDict } from '../../src/core/weights/initialStateDict.js';
import { InspectService } from '../../src/engine/inspect/InspectService.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { exportTorchWeights } from '../../src/engine/model/torchWeights.js';
import { loadCheckpoint } from '../../src/engine/train/checkpoint.js';
import { saveImportedCheckpoint } from '../../src/engine/train/importedCheckpoint.js';
import { ofType, smallConfig, tempDir, template, train } from './trainHelpers.js';

const lenet = template('lenet-5');
/** Weights no seed of ours would draw: PyTorch's init with seed 3. */
const state = initialStateDict(analyze(lenet), 3);
let runs: string;
const IMPORT = 'import-20261204-120000-abcd';
const importDir = () => join(runs, IMPORT);

/** LeNet-5 with fc2 narrowed to 80 features: fc2 and fc3 no longer fit the import. */
function edited(): GraphDocument {
  return {
    ...lenet,
    nodes: lenet.nodes.map((n) =>
      n.id === 'fc2' ? { ...n, params: { ...n.params, out_features: 80 } } : n,
    ),
  };
}

/** One small batch: the weights at the start are what is checked. */
const tiny = { epochs: 1, maxTrainSamples: 32, maxValidationSamples: 32 } as const;

const floats = (t: { data: Float32Array } | undefined) => Array.from(t?.data ?? []);

beforeAll(async () => {
  runs = tempDir('nnb-initial-');
  await saveImportedCheckpoint(importDir(), lenet, state);
});

describe('a run started from imported weights', () => {
  it('starts every layer from them, exactly, and says so', async () => {
    const config = smallConfig({ ...tiny, outDir: runs, initialWeights: importDir() });
    const events = await train(lenet, config);
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'warning').map((w) => w.message)).toContain(
      'Starts from the weights of the imported LeNet-5: all 5 weighted layers.',
    );
    const initial = loadCheckpoint(join(runs, 'test-run', 'initial')).weights;
    for (const [key, t] of state) expect(floats(initial.get(key)), key).toEqual(floats(t as never));
  }, 120_000);

  it('an edited layer (and the one it feeds) starts fresh, named in the warning', async () => {
    const graph = edited();
    const out = tempDir('nnb-initial-run-');
    const config = smallConfig({ ...tiny, outDir: out, initialWeights: importDir() });
    const events = await train(graph, config);
    expect(ofType(events, 'error')).toEqual([]);
    expect(ofType(events, 'warning').map((w) => w.message)).toContain(
      'Starts from the weights of the imported LeNet-5: 3 of 5 weighted layers; fresh weights for fc2 (changed), fc3 (changed).',
    );
    const initial = loadCheckpoint(join(out, 'test-run', 'initial')).weights;
    expect(floats(initial.get('conv1.weight'))).toEqual(floats(state.get('conv1.weight') as never));
    expect(floats(initial.get('fc1.bias'))).toEqual(floats(state.get('fc1.bias') as never));
    // fc2 has the fresh weights the same seed gives the edited graph.
    const fresh = CompiledModel.compile(graph, config.seed);
    expect(floats(initial.get('fc2.weight'))).toEqual(
      floats(exportTorchWeights(fresh).get('fc2.weight')),
    );
    fresh.dispose();
  }, 120_000);

  it('is refused together with resumeFrom, and for a folder without a checkpoint', async () => {
    const both = await train(
      lenet,
      smallConfig({ epochs: 1, initialWeights: importDir(), resumeFrom: importDir() }),
    );
    expect(ofType(both, 'error')[0]?.message).toMatch(/cannot both resume a run and start from/);
    const empty = await train(lenet, smallConfig({ epochs: 1, initialWeights: tempDir() }));
    expect(ofType(empty, 'error')[0]).toMatchObject({ code: 'checkpoint' });
    expect(ofType(empty, 'error')[0]?.message).toMatch(/holds no trained model/);
  }, 120_000);
});

describe('Inspect: the graph with the imported weights (weightsFrom)', () => {
  it('shows the imported kernels as the initial filters, and fresh ones for edited layers', async () => {
    const service = new InspectService(runs);
    const imported = await service.filters({
      source: { kind: 'graph', graph: lenet, seed: 42, weightsFrom: IMPORT },
      node: 'conv2',
    });
    const expected = state.get('conv2.weight');
    expect(imported.initial?.shape).toEqual([...(expected?.shape ?? [])]);
    const values = new Float32Array(Buffer.from(imported.initial?.data ?? '', 'base64').buffer);
    expect(Array.from(values)).toEqual(floats(expected as never));
    const untrained = await service.filters({
      source: { kind: 'graph', graph: lenet, seed: 42 },
      node: 'conv2',
    });
    expect(untrained.initial?.data).not.toEqual(imported.initial?.data);
    // An edit elsewhere keeps conv2's imported kernels.
    const afterEdit = await service.filters({
      source: { kind: 'graph', graph: edited(), seed: 42, weightsFrom: IMPORT },
      node: 'conv2',
    });
    expect(afterEdit.initial?.data).toEqual(imported.initial?.data);
    service.dispose();
  });
});
