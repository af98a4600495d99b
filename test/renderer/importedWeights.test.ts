// The app's side of fine-tuning an import: which layers of the editor's graph take the kept
// weights, the config a run is started with, whose weights Inspect shows, and when the import
// is forgotten.
import { beforeEach, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze';
import type { GraphDocument } from '../../src/core/graph/document';
import { initialStateDict } from '../../src/core/weights/initialStateDict';
import { createEditorStore } from '../../renderer/store/editorStore';
import { graphKey } from '../../renderer/store/graphKey';
import {
  forgetImport,
  forgetImportOnOtherDocument,
  importedWeightsStore,
  keepImport,
  startingWeights,
} from '../../renderer/training/importedWeights';
import {
  configFromForm,
  DEFAULT_FORM,
  withStartingWeights,
} from '../../renderer/training/trainingStore';
import { shownModel, type ModelInputs } from '../../renderer/inspect/modelSource';
import lenetJson from '../../templates/lenet-5.nnb.json';
import alexnetJson from '../../templates/alexnet.nnb.json';

const LENET = lenetJson as unknown as GraphDocument;
const tensors = [...initialStateDict(analyze(LENET), 1)].map(([key, t]) => ({
  key,
  shape: [...t.shape],
}));
const withNode = (id: string, patch: (n: GraphDocument['nodes'][number]) => object) => ({
  ...LENET,
  nodes: LENET.nodes.map((n) => (n.id === id ? { ...n, ...patch(n) } : n)),
});
const starting = (doc: GraphDocument) =>
  startingWeights(importedWeightsStore.getState(), doc, analyze(doc));

beforeEach(() => {
  forgetImport();
  keepImport('import-20261204-120000-abcd', 'lenet.onnx', LENET, tensors);
});

describe('startingWeights: the kept import against the editor graph', () => {
  it('the import as opened: every weighted layer takes its weights', () => {
    const s = starting(LENET);
    expect(s).toMatchObject({
      applies: true,
      unedited: true,
      importId: 'import-20261204-120000-abcd',
    });
    expect(s?.fit.fresh).toEqual([]);
    expect(s?.note).toBe('Starts from the weights of lenet.onnx: all 5 weighted layers.');
  });

  it('an edited layer and the one it feeds start fresh; a renamed one is new', () => {
    const narrowed = withNode('fc2', (n) => ({ params: { ...n.params, out_features: 80 } }));
    expect(starting(narrowed)?.note).toBe(
      'Starts from the weights of lenet.onnx: 3 of 5 weighted layers; fresh weights for fc2 (changed), fc3 (changed).',
    );
    expect(starting(narrowed)?.unedited).toBe(false);
    const renamed = {
      ...LENET,
      nodes: LENET.nodes.map((n) => (n.id === 'conv1' ? { ...n, id: 'c1' } : n)),
      edges: LENET.edges.map((e) => ({
        ...e,
        source: e.source === 'conv1' ? 'c1' : e.source,
        target: e.target === 'conv1' ? 'c1' : e.target,
      })),
    };
    expect(starting(renamed)?.fit.fresh).toEqual([{ id: 'c1', reason: 'new' }]);
  });

  it('another network: the weights no longer apply, and a run starts fresh', () => {
    const other = alexnetJson as unknown as GraphDocument;
    const s = starting(other);
    expect(s?.applies).toBe(false);
    expect(s?.note).toMatch(/no longer fit this graph/);
    expect(withStartingWeights(configFromForm(DEFAULT_FORM), s)).toEqual(
      configFromForm(DEFAULT_FORM),
    );
  });

  it('the user chose fresh weights: nothing is sent', () => {
    importedWeightsStore.setState({ use: false });
    expect(starting(LENET)).toBeNull();
  });
});

describe('withStartingWeights: the run config', () => {
  it('starts from the import by its id, inputs scaled to [0, 1] as the import expects', () => {
    expect(withStartingWeights(configFromForm(DEFAULT_FORM), starting(LENET))).toMatchObject({
      initialWeights: 'import-20261204-120000-abcd',
      normalization: { kind: 'none' },
    });
  });
});

describe('shownModel with a kept import', () => {
  const base = (doc: GraphDocument): ModelInputs => ({
    doc,
    docKey: graphKey(doc),
    hasErrors: false,
    runId: null,
    runGraphKey: null,
    status: 'idle',
    epochs: 0,
    checkpoints: 0,
    untrained: false,
    starting: starting(doc),
  });

  it('shows the imported weights and classifies drawings with the import, unedited', () => {
    const m = shownModel(base(LENET));
    expect(m.source).toMatchObject({ kind: 'graph', weightsFrom: 'import-20261204-120000-abcd' });
    expect(m).toMatchObject({
      importedFrom: 'lenet.onnx',
      predictWith: 'import-20261204-120000-abcd',
    });
    expect(m.note).toMatch(/all 5 weighted layers/);
  });

  it('after an edit: still the imported weights where they fit, but no classification', () => {
    const doc = withNode('fc2', (n) => ({ params: { ...n.params, out_features: 80 } }));
    const m = shownModel(base(doc));
    expect(m.source).toMatchObject({ weightsFrom: 'import-20261204-120000-abcd' });
    expect(m.predictWith).toBeNull();
    expect(m.note).toMatch(/fresh weights for fc2 \(changed\)/);
  });

  it('"untrained" ticked: the seed-42 weights, no import', () => {
    const m = shownModel({ ...base(LENET), untrained: true });
    expect(m.source).toEqual({ kind: 'graph', graph: LENET, seed: 42 });
    expect(m.importedFrom).toBeNull();
  });
});

describe('forgetImportOnOtherDocument', () => {
  it('keeps the import through edits and saves, forgets it when another graph opens', async () => {
    const store = createEditorStore();
    await store.getState().load(LENET, { name: 'lenet.nnb.json', path: null });
    keepImport('import-20261204-120000-abcd', 'lenet.onnx', LENET, tensors);
    const off = forgetImportOnOtherDocument(store.subscribe);
    store.getState().setParam('fc2', 'out_features', 80);
    store.getState().markSaved({ name: 'mine.nnb.json', path: null });
    store.getState().undo();
    expect(importedWeightsStore.getState().kept).not.toBeNull();
    await store.getState().load(alexnetJson as unknown as GraphDocument, {
      name: 'alexnet.nnb.json',
      path: null,
    });
    expect(importedWeightsStore.getState().kept).toBeNull();
    off();
  });
});
