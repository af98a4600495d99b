import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import type { VariantResult } from '../../src/core/compare/compareDocument';
import type { GraphDocument } from '../../src/core/graph/document';
import { graphKey } from '../store/graphKey';

/**
 * One state of the document the user had: content-addressed by the network (nodes, parameters,
 * edges; not layout), so coming back to an identical state is the same version.
 */
export interface Version {
  readonly id: string;
  /** 1, 2, 3, … in the order versions were first seen: the name the panel shows (`v3`). */
  readonly seq: number;
  /** The latest document with this network (its layout as last seen). */
  readonly doc: GraphDocument;
  readonly fileName: string;
  readonly createdAt: number;
  readonly seenAt: number;
  readonly nodes: number;
  readonly params: number;
  readonly macs: number;
  readonly hasErrors: boolean;
}

export type RunStatus = 'running' | 'completed' | 'stopped' | 'error' | 'interrupted';

/** A training run started in the editor, linked to the version it trained. */
export interface HistoryRun {
  readonly runId: string;
  readonly versionId: string;
  readonly startedAt: number;
  readonly status: RunStatus;
  /** `1 epoch · batch 64 · adam 0.001 · 2,000 samples`: the settings, in words. */
  readonly settings: string;
  /** Curves and evaluation in the compare view's shape, so its overlay chart draws them. */
  readonly result: VariantResult;
}

export interface VersionHistory {
  /** Oldest first. */
  readonly versions: readonly Version[];
  /** Oldest first. */
  readonly runs: readonly HistoryRun[];
  readonly nextSeq: number;
}

export const EMPTY_VERSION_HISTORY: VersionHistory = { versions: [], runs: [], nextSeq: 1 };

/** At most this many versions are kept; beyond it the older ones are thinned (see thin). */
export const MAX_VERSIONS = 200;
/** The newest versions are never thinned. */
export const KEEP_RECENT = 50;
/** At most this many runs are kept, newest; a version keeps its place while it has a run. */
export const MAX_RUNS = 50;

/** What decides the version: the network without layout (graphKey's input). */
function networkText(doc: GraphDocument): string {
  return JSON.stringify({ n: doc.nodes.map(({ ui: _ui, ...n }) => n), e: doc.edges });
}

/**
 * The version id of a document: graphKey (a 32-bit hash), with a suffix in the rare case that
 * another network in `versions` already has that hash.
 */
export function versionId(versions: readonly Version[], doc: GraphDocument): string {
  const key = graphKey(doc);
  const text = networkText(doc);
  for (let n = 0; ; n++) {
    const id = n === 0 ? key : `${key}-${n}`;
    const taken = versions.find((v) => v.id === id);
    if (taken === undefined || networkText(taken.doc) === text) return id;
  }
}

/**
 * Records `doc` (analysed as `analysis`) as a version: a new one, or, when the network is one
 * already seen, that version with its latest document and time. Returns the history and the id.
 */
export function recordVersion(
  history: VersionHistory,
  doc: GraphDocument,
  analysis: Pick<GraphAnalysis, 'totals' | 'hasErrors'>,
  meta: { fileName: string; now: number },
): { history: VersionHistory; id: string } {
  const id = versionId(history.versions, doc);
  const existing = history.versions.find((v) => v.id === id);
  if (existing !== undefined) {
    const next = { ...existing, doc, fileName: meta.fileName, seenAt: meta.now };
    return {
      history: { ...history, versions: history.versions.map((v) => (v.id === id ? next : v)) },
      id,
    };
  }
  const version: Version = {
    id,
    seq: history.nextSeq,
    doc,
    fileName: meta.fileName,
    createdAt: meta.now,
    seenAt: meta.now,
    nodes: doc.nodes.length,
    params: analysis.totals.params,
    macs: analysis.totals.macs,
    hasErrors: analysis.hasErrors,
  };
  return {
    history: thin({
      ...history,
      versions: [...history.versions, version],
      nextSeq: history.nextSeq + 1,
    }),
    id,
  };
}

/** Adds a run (newest last); the oldest runs beyond MAX_RUNS are dropped. */
export function addRun(history: VersionHistory, run: HistoryRun): VersionHistory {
  const runs = [...history.runs.filter((r) => r.runId !== run.runId), run].slice(-MAX_RUNS);
  return thin({ ...history, runs });
}

/** Replaces one run's status and result (unknown ids change nothing). */
export function updateRun(
  history: VersionHistory,
  runId: string,
  patch: Partial<Pick<HistoryRun, 'status' | 'result'>>,
): VersionHistory {
  if (!history.runs.some((r) => r.runId === runId)) return history;
  return {
    ...history,
    runs: history.runs.map((r) => (r.runId === runId ? { ...r, ...patch } : r)),
  };
}

/** A version's runs, newest first. */
export function runsOf(runs: readonly HistoryRun[], versionId: string): HistoryRun[] {
  return runs.filter((r) => r.versionId === versionId).reverse();
}

/**
 * Keeps at most `max` versions. When over, every other version of the old part (all but the
 * first ever, the newest KEEP_RECENT and those with runs) is dropped, so recent history stays
 * complete and older history gets sparser the older it is. Runs point only at kept versions.
 */
export function thin(history: VersionHistory, max = MAX_VERSIONS): VersionHistory {
  let versions = history.versions;
  let runs = history.runs;
  while (versions.length > max) {
    const trained = new Set(runs.map((r) => r.versionId));
    const recent = Math.min(KEEP_RECENT, Math.max(0, max - 1));
    const old = versions.slice(1, versions.length - recent).filter((v) => !trained.has(v.id));
    if (old.length > 0) {
      const drop = new Set(old.filter((_, i) => i % 2 === 0).map((v) => v.id));
      versions = versions.filter((v) => !drop.has(v.id));
      continue;
    }
    // Only trained or recent versions are left: the oldest goes, with its runs.
    const oldest = versions[0];
    if (oldest === undefined) break;
    versions = versions.slice(1);
    runs = runs.filter((r) => r.versionId !== oldest.id);
  }
  const kept = new Set(versions.map((v) => v.id));
  runs = runs.filter((r) => kept.has(r.versionId));
  return versions === history.versions && runs === history.runs
    ? history
    : { ...history, versions, runs };
}

/** The last validation loss and accuracy a run reported, else its last training batch's. */
export function finalMetrics(
  run: HistoryRun,
): { loss: number; accuracy: number; kind: 'validation' | 'train' } | null {
  const epoch = run.result.epochs.at(-1);
  if (epoch) return { loss: epoch.valLoss, accuracy: epoch.valAccuracy, kind: 'validation' };
  const step = run.result.trainSteps.at(-1);
  if (step) return { loss: step.loss, accuracy: step.accuracy, kind: 'train' };
  return null;
}
