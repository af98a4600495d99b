import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrainEvent } from '../../src/api/training';
import { analyze } from '../../src/core/analysis/analyze';
import type { GraphDocument } from '../../src/core/graph/document';
import { parseGraphJson } from '../../src/core/graph/parseGraph';
import { EMPTY_RESULT } from '../../renderer/compare/variantRun';
import {
  createHistoryStore,
  startVersionRecorder,
  type RecorderDeps,
} from '../../renderer/history/versionRecorder';
import {
  readVersionHistory,
  VERSIONS_KEY,
  writeVersionHistory,
} from '../../renderer/history/versionStorage';
import {
  addRun,
  EMPTY_VERSION_HISTORY,
  finalMetrics,
  KEEP_RECENT,
  MAX_VERSIONS,
  recordVersion,
  runsOf,
  thin,
  type HistoryRun,
  type VersionHistory,
} from '../../renderer/history/versions';
import { createEditorStore } from '../../renderer/store/editorStore';

const lenet = (() => {
  const parsed = parseGraphJson(
    readFileSync(join(import.meta.dirname, '../../templates/lenet-5.nnb.json'), 'utf8'),
  );
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.graph;
})();

/** LeNet-5 with conv1's output channels set to `c` (a distinct network per value). */
const variant = (c: number): GraphDocument => ({
  ...lenet,
  nodes: lenet.nodes.map((n) =>
    n.id === 'conv1' ? { ...n, params: { ...n.params, out_channels: c } } : n,
  ),
});

const rec = (h: VersionHistory, doc: GraphDocument, now = 1) =>
  recordVersion(h, doc, analyze(doc), { fileName: 'lenet.nnb.json', now });

const run = (runId: string, versionId: string): HistoryRun => ({
  runId,
  versionId,
  startedAt: 1,
  status: 'completed',
  settings: '1 epoch',
  result: EMPTY_RESULT,
});

function memoryStorage(quota = Infinity) {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (v.length > quota) throw new DOMException('quota', 'QuotaExceededError');
      items.set(k, v);
    },
    items,
  };
}

describe('versions', () => {
  it('are content-addressed: the same network is one version, layout aside', () => {
    const a = rec(EMPTY_VERSION_HISTORY, lenet, 1);
    const moved = { ...lenet, nodes: lenet.nodes.map((n) => ({ ...n, ui: { x: 9, y: 9 } })) };
    const b = rec(a.history, moved, 2);
    expect(b.id).toBe(a.id);
    expect(b.history.versions).toHaveLength(1);
    expect(b.history.versions[0]).toMatchObject({ seq: 1, createdAt: 1, seenAt: 2, doc: moved });
    const c = rec(b.history, variant(8), 3);
    expect(c.id).not.toBe(a.id);
    expect(c.history.versions.map((v) => [v.seq, v.params])).toEqual([
      [1, 61_706],
      // conv1 8 channels: 8·25+8 = 208 (was 156); conv2 16·8·25+16 = 3,216 (was 2,416).
      [2, 61_706 + 52 + 800],
    ]);
    // Back to the first network: no new version.
    expect(rec(c.history, lenet, 4).history.versions).toHaveLength(2);
  });

  it('stay bounded: the old part is thinned, the recent ones, the first and trained ones kept', () => {
    let h = EMPTY_VERSION_HISTORY;
    const ids: string[] = [];
    for (let c = 1; c <= 320; c++) {
      const r = rec(h, variant(c), c);
      h = r.history;
      ids.push(r.id);
      if (c === 7) h = addRun(h, run('run-7', r.id));
    }
    expect(h.versions.length).toBeLessThanOrEqual(MAX_VERSIONS);
    expect(h.versions.length).toBeGreaterThan(MAX_VERSIONS / 2);
    const kept = new Set(h.versions.map((v) => v.id));
    expect(kept.has(ids[0] ?? '')).toBe(true);
    expect(kept.has(ids[6] ?? '')).toBe(true);
    for (const id of ids.slice(-KEEP_RECENT)) expect(kept.has(id)).toBe(true);
    // Older history is sparser than recent history.
    const seqs = h.versions.map((v) => v.seq);
    expect(seqs.filter((s) => s <= 160).length).toBeLessThan(seqs.filter((s) => s > 160).length);
    expect(h.nextSeq).toBe(321);
    expect(runsOf(h.runs, ids[6] ?? '')).toHaveLength(1);
  });

  it('drop a version with its runs only when everything old is trained', () => {
    let h = EMPTY_VERSION_HISTORY;
    for (let c = 1; c <= 5; c++) {
      const r = rec(h, variant(c), c);
      h = addRun(r.history, run(`run-${c}`, r.id));
    }
    const t = thin(h, 3);
    expect(t.versions.map((v) => v.seq)).toEqual([3, 4, 5]);
    expect(t.runs.map((r) => r.runId)).toEqual(['run-3', 'run-4', 'run-5']);
  });

  it('give a run’s final metrics: validation when an epoch finished, else the last batch', () => {
    const r = run('r', 'v');
    expect(finalMetrics(r)).toBeNull();
    const steps = {
      ...r,
      result: { ...EMPTY_RESULT, trainSteps: [{ epoch: 0.5, loss: 2, accuracy: 0.3 }] },
    };
    expect(finalMetrics(steps)).toEqual({ loss: 2, accuracy: 0.3, kind: 'train' });
    const epoch = {
      epoch: 1,
      trainLoss: 1,
      trainAccuracy: 0.6,
      valLoss: 0.4,
      valAccuracy: 0.9,
      gradientNorms: {},
    };
    expect(finalMetrics({ ...r, result: { ...steps.result, epochs: [epoch] } })).toEqual({
      loss: 0.4,
      accuracy: 0.9,
      kind: 'validation',
    });
  });
});

describe('version storage', () => {
  it('round-trips versions and runs; a run still running comes back interrupted', () => {
    const storage = memoryStorage();
    const a = rec(EMPTY_VERSION_HISTORY, lenet);
    const h = addRun(a.history, { ...run('r1', a.id), status: 'running' });
    writeVersionHistory(storage, h);
    const back = readVersionHistory(storage);
    expect(back.versions).toEqual(h.versions);
    expect(back.runs).toEqual([{ ...run('r1', a.id), status: 'interrupted' }]);
    expect(back.nextSeq).toBe(2);
  });

  it('leaves out damaged entries and never throws', () => {
    const storage = memoryStorage();
    expect(readVersionHistory(storage)).toEqual(EMPTY_VERSION_HISTORY);
    storage.setItem(VERSIONS_KEY, '{not json');
    expect(readVersionHistory(storage)).toEqual(EMPTY_VERSION_HISTORY);
    const a = rec(EMPTY_VERSION_HISTORY, lenet);
    const b = rec(a.history, variant(3));
    const raw = JSON.parse(JSON.stringify(addRun(b.history, run('r1', b.id)))) as {
      versions: { doc: unknown }[];
      runs: { result: unknown }[];
    };
    raw.versions[0]!.doc = { format: 'nnb-graph', version: 2, nodes: 'no' };
    raw.runs.push({ ...run('r2', 'gone'), result: EMPTY_RESULT });
    raw.runs.push({ ...run('r3', b.id), result: { outcome: 'maybe' } });
    storage.setItem(VERSIONS_KEY, JSON.stringify(raw));
    const back = readVersionHistory(storage);
    expect(back.versions.map((v) => v.id)).toEqual([b.id]);
    expect(back.runs.map((r) => r.runId)).toEqual(['r1']);
    expect(back.nextSeq).toBe(3);
  });

  it('fits a size limit by thinning untrained versions first, then the oldest trained ones', () => {
    const storage = memoryStorage();
    let h = EMPTY_VERSION_HISTORY;
    for (let c = 1; c <= 40; c++) {
      const r = rec(h, variant(c), c);
      h = c % 10 === 5 ? addRun(r.history, run(`run-${c}`, r.id)) : r.history;
    }
    const full = JSON.stringify(h).length;
    const written = writeVersionHistory(storage, h, Math.floor(full / 3));
    expect(storage.items.get(VERSIONS_KEY)!.length).toBeLessThanOrEqual(full / 3);
    expect(written.versions.length).toBeLessThan(40 / 3);
    // The four trained versions and their runs outlive the untrained ones around them.
    expect(written.runs.map((r) => r.runId)).toEqual(['run-5', 'run-15', 'run-25', 'run-35']);
    expect(readVersionHistory(storage).versions.at(-1)?.seq).toBe(40);
    // Far too small for all of them: the oldest trained versions go with their runs.
    const tiny = writeVersionHistory(storage, h, Math.floor(full / 12));
    expect(storage.items.get(VERSIONS_KEY)!.length).toBeLessThanOrEqual(full / 12);
    expect(tiny.versions.at(-1)?.seq).toBe(40);
    expect(tiny.runs.at(-1)?.runId).toBe('run-35');
    expect(tiny.runs.length).toBeLessThan(4);
    // Only the newest version is left untrained.
    const trained = new Set(tiny.runs.map((r) => r.versionId));
    expect(tiny.versions.filter((v) => !trained.has(v.id)).map((v) => v.seq)).toEqual([40]);
  });
});

describe('the recorder', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A recorder on an editor store, with hooks standing in for the training store. */
  function setup(storage = memoryStorage()) {
    const editor = createEditorStore(lenet);
    const history = createHistoryStore();
    let runGraph: ((g: GraphDocument, s: string) => void) | undefined;
    let events: ((e: TrainEvent) => void) | undefined;
    const deps: RecorderDeps = {
      editor,
      onRunGraph: (l) => ((runGraph = l), () => (runGraph = undefined)),
      onTrainEvent: (l) => ((events = l), () => (events = undefined)),
      storage,
      now: () => Date.now(),
    };
    const stop = startVersionRecorder(history, deps);
    const train = (runId: string, loss: number) => {
      runGraph?.(editor.getState().doc, '1 epoch · batch 64');
      const base = { runId };
      events?.({
        ...base,
        type: 'started',
        backend: 'cpu',
        dataset: {
          name: 'digits',
          classNames: [],
          inputShape: [1, 28, 28],
          trainSize: 8,
          validationSize: 2,
          skipped: 0,
        },
        epochs: 1,
        firstEpoch: 1,
        batchesPerEpoch: 2,
        trainableParams: 1,
        runDir: '/runs/x',
      });
      for (const batch of [1, 2])
        events?.({
          ...base,
          type: 'batch',
          epoch: 1,
          batch,
          batches: 2,
          loss: loss + 1 - batch / 2,
          accuracy: 0.5,
          samplesPerSecond: 1,
          etaSeconds: 0,
          lr: 0.001,
        });
      events?.({
        ...base,
        type: 'epoch',
        epoch: 1,
        epochs: 1,
        trainLoss: loss,
        trainAccuracy: 0.6,
        valLoss: loss,
        valAccuracy: 0.8,
        seconds: 1,
        samplesPerSecond: 1,
        lr: 0.001,
        gradientNorms: {},
      });
      events?.({
        ...base,
        type: 'finished',
        reason: 'completed',
        runDir: '/runs/x',
        bestValAccuracy: 0.8,
        bestEpoch: 1,
        epochsCompleted: 1,
      });
    };
    return { editor, history, storage, stop, train, emit: (e: TrainEvent) => events?.(e) };
  }

  it('records the opened graph, a version once edits settle, and one at every Train', async () => {
    const { editor, history, train } = setup();
    expect(history.getState().history.versions.map((v) => v.seq)).toEqual([1]);
    // Opening a file is a version at once, before any edit settles.
    await editor.getState().load(variant(3), { name: 'three.nnb.json', path: null });
    expect(history.getState().history.versions.map((v) => [v.seq, v.fileName])).toEqual([
      [1, 'LeNet-5'],
      [2, 'three.nnb.json'],
    ]);
    await editor.getState().load(lenet, { name: 'LeNet-5', path: null });
    editor.getState().setParam('conv1', 'out_channels', 7);
    editor.getState().setParam('conv1', 'out_channels', 8);
    vi.advanceTimersByTime(1000);
    expect(history.getState().history.versions).toHaveLength(2);
    vi.advanceTimersByTime(600);
    // Typing 7 then 8 within the settle time is one version (8 channels).
    expect(history.getState().history.versions.map((v) => v.params)).toEqual([
      // conv1 with 3 channels: 3·25+3 = 78 (was 156), conv2 16·3·25+16 = 1,216 (was 2,416).
      61_706, 60_428, 62_558,
    ]);
    // Train right after an edit, before it settles: the trained graph is recorded at once.
    editor.getState().setParam('conv1', 'out_channels', 4);
    train('run-a', 0.5);
    const h = history.getState().history;
    expect(h.versions).toHaveLength(4);
    expect(h.runs).toHaveLength(1);
    expect(h.runs[0]).toMatchObject({
      runId: 'run-a',
      versionId: h.versions[3]?.id,
      status: 'completed',
      settings: '1 epoch · batch 64',
    });
    expect(h.runs[0]?.result.trainSteps.map((s) => s.epoch)).toEqual([0.5, 1]);
    expect(h.runs[0]?.result.epochs.map((e) => e.valLoss)).toEqual([0.5]);
  });

  it('links a second run of the same graph to the same version; unknown runs are ignored', () => {
    const { history, train, emit } = setup();
    train('run-a', 0.5);
    train('run-b', 0.4);
    // A run this page did not start (no Train before its `started`) is not recorded.
    const started = history.getState().history.runs;
    emit({ type: 'resumed', runId: 'foreign' });
    emit({
      type: 'finished',
      runId: 'foreign',
      reason: 'completed',
      runDir: '',
      bestValAccuracy: null,
      bestEpoch: null,
      epochsCompleted: 0,
    });
    expect(history.getState().history.runs).toBe(started);
    const h = history.getState().history;
    expect(h.versions).toHaveLength(1);
    expect(runsOf(h.runs, h.versions[0]!.id).map((r) => r.runId)).toEqual(['run-b', 'run-a']);
    expect(runsOf(h.runs, h.versions[0]!.id).map((r) => finalMetrics(r)?.loss)).toEqual([0.4, 0.5]);
  });

  it('survives a reload and a crash: what it wrote is what a new page reads', () => {
    const storage = memoryStorage();
    const first = setup(storage);
    first.editor.getState().setParam('conv1', 'out_channels', 8);
    first.train('run-a', 0.5);
    // "Crash": the page is gone without pagehide and without stop(); the run's end was written.
    const second = setup(storage);
    const h = second.history.getState().history;
    expect(h.versions.map((v) => v.params)).toEqual([61_706, 62_558]);
    expect(h.runs.map((r) => [r.runId, r.status])).toEqual([['run-a', 'completed']]);
    // Edits are written shortly after they settle.
    second.editor.getState().setParam('conv1', 'out_channels', 2);
    vi.advanceTimersByTime(1500 + 250);
    expect(readVersionHistory(storage).versions).toHaveLength(3);
  });

  it('picks at most two versions, the newest two picks', () => {
    const { history } = setup();
    const s = history.getState();
    s.togglePick('a');
    s.togglePick('b');
    s.togglePick('c');
    expect(history.getState().picked).toEqual(['b', 'c']);
    history.getState().togglePick('b');
    expect(history.getState().picked).toEqual(['c']);
  });
});
