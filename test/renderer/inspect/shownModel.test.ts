import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../../src/core/graph/document';
import { graphKey, shownModel, type ModelInputs } from '../../../renderer/inspect/modelSource';

const doc: GraphDocument = {
  format: 'nnb-graph',
  version: 1,
  nodes: [{ id: 'input', type: 'Input', params: { shape: [1, 28, 28] } }],
  edges: [],
};
const base: ModelInputs = {
  doc,
  docKey: graphKey(doc),
  hasErrors: false,
  runId: null,
  runGraphKey: null,
  status: 'idle',
  epochs: 0,
  checkpoints: 0,
  untrained: false,
};

describe('shownModel: whose weights the Inspect views show', () => {
  it('a run of another graph (or of this one before an edit) is not shown on this graph', () => {
    const other = graphKey({ ...doc, nodes: [{ ...doc.nodes[0]!, id: 'x' }] });
    const m = shownModel({
      ...base,
      runId: 'run-1',
      runGraphKey: other,
      status: 'finished',
      epochs: 1,
    });
    expect(m).toMatchObject({ trained: false, runAvailable: false, runId: null });
    expect(m.source).toEqual({ kind: 'graph', graph: doc, seed: 42 });
    expect(m.note).toMatch(/different graph/);
  });

  it('without a run: the editor graph, untrained, seed 42', () => {
    const m = shownModel(base);
    expect(m).toMatchObject({ trained: false, runAvailable: false, runId: null, why: null });
    expect(m.source).toEqual({ kind: 'graph', graph: doc, seed: 42 });
  });

  it('a running run without a checkpoint event yet stays untrained (its epoch may not be saved)', () => {
    const m = shownModel({
      ...base,
      runGraphKey: base.docKey,
      runId: 'run-1',
      status: 'running',
      epochs: 1,
    });
    expect(m.trained).toBe(false);
  });

  it('a checkpoint event, or a finished run with epochs, shows the trained best checkpoint', () => {
    for (const m of [
      shownModel({
        ...base,
        runGraphKey: base.docKey,
        runId: 'run-1',
        status: 'running',
        epochs: 1,
        checkpoints: 2,
      }),
      shownModel({
        ...base,
        runGraphKey: base.docKey,
        runId: 'run-1',
        status: 'finished',
        epochs: 1,
      }),
    ]) {
      expect(m.trained).toBe(true);
      expect(m.source).toEqual({ kind: 'run', runId: 'run-1', checkpoint: 'best' });
    }
    // Stopped before the first epoch ended: nothing trained to show.
    expect(
      shownModel({ ...base, runGraphKey: base.docKey, runId: 'run-1', status: 'finished' }).trained,
    ).toBe(false);
  });

  it('"untrained" shows the graph while the run stays available (for the pad and the filters)', () => {
    const m = shownModel({
      ...base,
      runGraphKey: base.docKey,
      runId: 'run-1',
      status: 'finished',
      epochs: 1,
      untrained: true,
    });
    expect(m).toMatchObject({ trained: false, runAvailable: true, runId: 'run-1' });
    expect(m.source?.kind).toBe('graph');
  });

  it('a graph with errors gives nothing to compute, and says why', () => {
    const m = shownModel({ ...base, hasErrors: true });
    expect(m.source).toBeNull();
    expect(m.why).toMatch(/errors/);
  });

  it('a new checkpoint or an edit changes the key (the views ask again); moving a node does not', () => {
    const a = shownModel({
      ...base,
      runGraphKey: base.docKey,
      runId: 'r',
      status: 'running',
      epochs: 1,
      checkpoints: 2,
    });
    const b = shownModel({
      ...base,
      runGraphKey: base.docKey,
      runId: 'r',
      status: 'running',
      epochs: 2,
      checkpoints: 4,
    });
    expect(a.key).not.toBe(b.key);
    const moved = { ...doc, nodes: [{ ...doc.nodes[0]!, ui: { x: 5, y: 9 } }] };
    expect(graphKey(moved)).toBe(graphKey(doc));
    const edited = { ...doc, nodes: [{ ...doc.nodes[0]!, params: { shape: [3, 32, 32] } }] };
    expect(graphKey(edited)).not.toBe(graphKey(doc));
  });
});
