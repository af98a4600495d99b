import { readVariantResult } from '../../src/core/compare/compareDocument';
import { readGraphDocument } from '../../src/core/graph/parseGraph';
import {
  EMPTY_VERSION_HISTORY,
  thin,
  type HistoryRun,
  type RunStatus,
  type Version,
  type VersionHistory,
} from './versions';

export const VERSIONS_KEY = 'nnb.versions.v1';
/** Beside the autosaved session (≤ 2 MB) under the ~5 MB localStorage quota. */
export const MAX_VERSION_BYTES = 1_500_000;

const STATUSES: readonly RunStatus[] = ['running', 'completed', 'stopped', 'error', 'interrupted'];

/**
 * One step smaller: every other untrained version goes (never the newest); when all are trained,
 * the oldest goes with its runs; with one version left, its oldest run.
 */
function shrink(h: VersionHistory): VersionHistory {
  const trained = new Set(h.runs.map((r) => r.versionId));
  const newest = h.versions.at(-1);
  const untrained = h.versions.filter((v) => v !== newest && !trained.has(v.id));
  if (untrained.length > 0) {
    const drop = new Set(untrained.filter((_, i) => i % 2 === 0).map((v) => v.id));
    return { ...h, versions: h.versions.filter((v) => !drop.has(v.id)) };
  }
  const oldest = h.versions[0];
  if (h.versions.length > 1 && oldest !== undefined)
    return {
      ...h,
      versions: h.versions.slice(1),
      runs: h.runs.filter((r) => r.versionId !== oldest.id),
    };
  return { ...h, runs: h.runs.slice(1) };
}

/**
 * Writes the history; while it is over `maxBytes`, it shrinks: untrained versions are thinned
 * first, then the oldest trained ones go with their runs. Returns what was written (never throws).
 */
export function writeVersionHistory(
  storage: Pick<Storage, 'setItem'>,
  history: VersionHistory,
  maxBytes = MAX_VERSION_BYTES,
): VersionHistory {
  let h = history;
  for (;;) {
    const text = JSON.stringify({ ...h, savedAt: Date.now() });
    if (text.length <= maxBytes || (h.versions.length <= 1 && h.runs.length === 0)) {
      try {
        storage.setItem(VERSIONS_KEY, text);
      } catch {
        // Quota exceeded by the other keys: the history stays in memory for this session.
      }
      return h;
    }
    h = shrink(h);
  }
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function readVersion(v: unknown): Version | undefined {
  if (!isObj(v) || typeof v.id !== 'string' || !Number.isInteger(v.seq)) return undefined;
  const doc = readGraphDocument(v.doc);
  if (!doc.ok) return undefined;
  if (![v.createdAt, v.seenAt, v.nodes, v.params, v.macs].every(isNum)) return undefined;
  return {
    id: v.id,
    seq: v.seq as number,
    doc: doc.graph,
    fileName: typeof v.fileName === 'string' ? v.fileName : 'Untitled',
    createdAt: v.createdAt as number,
    seenAt: v.seenAt as number,
    nodes: v.nodes as number,
    params: v.params as number,
    macs: v.macs as number,
    hasErrors: v.hasErrors === true,
  };
}

function readRun(r: unknown, ids: ReadonlySet<string>): HistoryRun | undefined {
  if (!isObj(r) || typeof r.runId !== 'string' || typeof r.versionId !== 'string') return undefined;
  if (!ids.has(r.versionId) || !isNum(r.startedAt)) return undefined;
  const result = readVariantResult(r.result);
  if (!result.ok) return undefined;
  const status = STATUSES.includes(r.status as RunStatus) ? (r.status as RunStatus) : 'error';
  return {
    runId: r.runId,
    versionId: r.versionId,
    startedAt: r.startedAt,
    // A run still running when the page went away is no longer followed by this page.
    status: status === 'running' ? 'interrupted' : status,
    settings: typeof r.settings === 'string' ? r.settings : '',
    result: result.value,
  };
}

/**
 * The stored history; unreadable entries are left out (a damaged one does not cost the rest),
 * and a missing or unreadable store is an empty history. Never throws.
 */
export function readVersionHistory(storage: Pick<Storage, 'getItem'>): VersionHistory {
  let value: unknown;
  try {
    value = JSON.parse(storage.getItem(VERSIONS_KEY) ?? 'null');
  } catch {
    return EMPTY_VERSION_HISTORY;
  }
  if (!isObj(value)) return EMPTY_VERSION_HISTORY;
  const versions = (Array.isArray(value.versions) ? value.versions : [])
    .map(readVersion)
    .filter((v): v is Version => v !== undefined)
    .sort((a, b) => a.seq - b.seq);
  const ids = new Set(versions.map((v) => v.id));
  const runs = (Array.isArray(value.runs) ? value.runs : [])
    .map((r) => readRun(r, ids))
    .filter((r): r is HistoryRun => r !== undefined);
  const maxSeq = versions.reduce((m, v) => Math.max(m, v.seq), 0);
  const nextSeq = Number.isInteger(value.nextSeq)
    ? Math.max(value.nextSeq as number, maxSeq + 1)
    : maxSeq + 1;
  return thin({ versions, runs, nextSeq });
}
