import { createStore, type StoreApi } from 'zustand/vanilla';
import { analyze } from '../../src/core/analysis/analyze';
import type { TrainEvent } from '../../src/api/training';
import type { GraphDocument } from '../../src/core/graph/document';
import { EMPTY_RESULT, foldVariantEvent, waitingRun, type VariantRun } from '../compare/variantRun';
import type { EditorStore } from '../store/editorStore';
import { readVersionHistory, writeVersionHistory } from './versionStorage';
import {
  addRun,
  EMPTY_VERSION_HISTORY,
  recordVersion,
  updateRun,
  type RunStatus,
  type VersionHistory,
} from './versions';

export interface HistoryState {
  readonly history: VersionHistory;
  /** Up to two version ids picked in the panel, in the order picked. */
  readonly picked: readonly string[];
  /** Picks a version (a third pick replaces the older of two); picking a picked one unpicks it. */
  togglePick(id: string): void;
  clearPicks(): void;
  /** Used by the recorder: replaces the history (picks of versions gone are dropped). */
  setHistory(history: VersionHistory): void;
}

export function createHistoryStore(
  initial: VersionHistory = EMPTY_VERSION_HISTORY,
): StoreApi<HistoryState> {
  return createStore<HistoryState>()((set, get) => ({
    history: initial,
    picked: [],
    togglePick(id) {
      const picked = get().picked;
      if (picked.includes(id)) set({ picked: picked.filter((p) => p !== id) });
      else set({ picked: [...picked, id].slice(-2) });
    },
    clearPicks() {
      set({ picked: [] });
    },
    setHistory(history) {
      const ids = new Set(history.versions.map((v) => v.id));
      set({ history, picked: get().picked.filter((p) => ids.has(p)) });
    },
  }));
}

export interface RecorderDeps {
  readonly editor: StoreApi<EditorStore>;
  /** Calls back when a run is being started from the editor: the graph sent, its settings in words. */
  onRunGraph(listener: (graph: GraphDocument, settings: string) => void): () => void;
  /** The editor's own runs' events, in order (trainingStore's onOwnTrainEvent). */
  onTrainEvent(listener: (event: TrainEvent) => void): () => void;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** A version is recorded once edits have paused this long (and always at Train). */
  readonly settleMs?: number;
  readonly writeMs?: number;
  readonly now?: () => number;
}

export const SETTLE_MS = 1500;
const WRITE_MS = 250;
const BATCH_WRITE_MS = 2000;

function statusOf(run: VariantRun): RunStatus {
  switch (run.status) {
    case 'completed':
    case 'stopped':
    case 'error':
      return run.status;
    case 'skipped':
      return 'error';
    default:
      return 'running';
  }
}

/**
 * Keeps the version history: loads it from storage, records the document as a version when it
 * is opened or saved, once edits settle and at every Train, links each run the editor starts to the version it trains and
 * follows the run's events into its curves, and writes the history back shortly after each
 * change (and at once when the page is hidden). Returns a function that stops it.
 */
export function startVersionRecorder(
  store: StoreApi<HistoryState>,
  deps: RecorderDeps,
): () => void {
  const now = deps.now ?? Date.now;
  const settleMs = deps.settleMs ?? SETTLE_MS;
  const writeMs = deps.writeMs ?? WRITE_MS;
  store.getState().setHistory(readVersionHistory(deps.storage));

  let writeTimer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (writeTimer !== undefined) clearTimeout(writeTimer);
    writeTimer = undefined;
    const written = writeVersionHistory(deps.storage, store.getState().history);
    if (written !== store.getState().history) store.getState().setHistory(written);
  };
  /** `later`: a batch's points, written within BATCH_WRITE_MS (a long history is costly to write). */
  const update = (next: VersionHistory, later = false) => {
    if (next === store.getState().history) return;
    store.getState().setHistory(next);
    if (writeTimer === undefined) writeTimer = setTimeout(flush, later ? BATCH_WRITE_MS : writeMs);
  };
  const record = (doc: GraphDocument): string => {
    const s = deps.editor.getState();
    const analysis = doc === s.doc ? s.analysis : analyze(doc);
    const { history, id } = recordVersion(store.getState().history, doc, analysis, {
      fileName: s.file.name,
      now: now(),
    });
    update(history);
    return id;
  };

  let settleTimer: ReturnType<typeof setTimeout> | undefined;
  const settled = () => {
    settleTimer = undefined;
    const doc = deps.editor.getState().doc;
    if (doc.nodes.length > 0) record(doc);
  };
  if (deps.editor.getState().doc.nodes.length > 0) record(deps.editor.getState().doc);
  const stopEditor = deps.editor.subscribe((s, prev) => {
    if (s.doc === prev.doc && s.file === prev.file) return;
    if (settleTimer !== undefined) clearTimeout(settleTimer);
    settleTimer = undefined;
    // A document just opened or saved is a version at once; edits wait until they settle.
    if (s.file !== prev.file && s.file.savedDoc === s.doc) settled();
    else settleTimer = setTimeout(settled, settleMs);
  });

  // A run is linked when its `started` event comes (it carries the run id).
  let pending: { versionId: string; settings: string } | undefined;
  const live = new Map<string, VariantRun>();
  const stopRunGraph = deps.onRunGraph((graph, settings) => {
    pending = { versionId: record(graph), settings };
  });
  const stopEvents = deps.onTrainEvent((event) => {
    let run = live.get(event.runId);
    if (run === undefined) {
      if (event.type !== 'started' || pending === undefined) return;
      update(
        addRun(store.getState().history, {
          runId: event.runId,
          versionId: pending.versionId,
          startedAt: now(),
          status: 'running',
          settings: pending.settings,
          result: EMPTY_RESULT,
        }),
      );
      pending = undefined;
      run = waitingRun('starting');
    }
    const next = foldVariantEvent(run, event);
    live.set(event.runId, next);
    update(
      updateRun(store.getState().history, event.runId, {
        status: statusOf(next),
        result: next.result,
      }),
      event.type === 'batch',
    );
    // A run's end is written at once: nothing of it is lost if the page dies right after.
    if (event.type === 'finished' || event.type === 'error' || event.type === 'started') flush();
  });

  const onHide = () => flush();
  globalThis.addEventListener?.('pagehide', onHide);
  return () => {
    stopEditor();
    stopRunGraph();
    stopEvents();
    if (settleTimer !== undefined) clearTimeout(settleTimer);
    if (writeTimer !== undefined) flush();
    globalThis.removeEventListener?.('pagehide', onHide);
  };
}
