import type { GraphDocument } from '../../src/core/graph/document';

/** Which file the document belongs to; part of each undo step, so undoing an "open" restores it. */
export interface FileIdentity {
  /** Shown in the title: `lenet-5.nnb.json`, or `Untitled` for a new document. */
  readonly name: string;
  /** A native path (Electron) or a browser file-handle key; null until saved somewhere. */
  readonly path: string | null;
  /** The document as last saved or opened: dirty is `doc !== savedDoc`. */
  readonly savedDoc: GraphDocument | null;
}

export interface Snapshot {
  readonly doc: GraphDocument;
  readonly file: FileIdentity;
}

export interface History {
  readonly past: readonly Snapshot[];
  readonly future: readonly Snapshot[];
  /** Consecutive commits with the same key (typing in one field) make one undo step. */
  readonly coalesceKey: string | null;
}

export const MAX_HISTORY = 200;
export const EMPTY_HISTORY: History = { past: [], future: [], coalesceKey: null };

/** Records `before` as an undo step (unless it continues the same coalesced edit). */
export function record(history: History, before: Snapshot, coalesceKey: string | null): History {
  if (coalesceKey !== null && coalesceKey === history.coalesceKey) {
    return { ...history, future: [] };
  }
  const past = [...history.past, before];
  if (past.length > MAX_HISTORY) past.splice(0, past.length - MAX_HISTORY);
  return { past, future: [], coalesceKey };
}

/** Steps back: returns the snapshot to show and the new history, or undefined at the start. */
export function undo(
  history: History,
  current: Snapshot,
): { snapshot: Snapshot; history: History } | undefined {
  const snapshot = history.past.at(-1);
  if (snapshot === undefined) return undefined;
  return {
    snapshot,
    history: {
      past: history.past.slice(0, -1),
      future: [current, ...history.future],
      coalesceKey: null,
    },
  };
}

export function redo(
  history: History,
  current: Snapshot,
): { snapshot: Snapshot; history: History } | undefined {
  const snapshot = history.future[0];
  if (snapshot === undefined) return undefined;
  return {
    snapshot,
    history: {
      past: [...history.past, current],
      future: history.future.slice(1),
      coalesceKey: null,
    },
  };
}
