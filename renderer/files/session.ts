import type { GraphDocument } from '../../src/core/graph/document';
import { readGraphDocument } from '../../src/core/graph/parseGraph';

/**
 * The autosaved session: the document, which file it belongs to and whether it had unsaved
 * changes, plus recent undo steps. Written on every change, read at launch, so a crash or a
 * closed tab loses nothing.
 */
export interface Session {
  readonly doc: GraphDocument;
  readonly fileName: string;
  readonly filePath: string | null;
  readonly dirty: boolean;
  readonly savedAt: number;
  /** Older documents, oldest first (undo steps that survive a reload). */
  readonly past: readonly GraphDocument[];
}

export const SESSION_KEY = 'nnb.session.v1';
/** Keep the session well under the ~5 MB localStorage quota. */
const MAX_BYTES = 2_000_000;

export function writeSession(storage: Pick<Storage, 'setItem'>, session: Session): void {
  let past = session.past.slice(-30);
  for (;;) {
    const text = JSON.stringify({ ...session, past });
    if (text.length <= MAX_BYTES || past.length === 0) {
      try {
        storage.setItem(SESSION_KEY, text);
      } catch {
        // Quota exceeded even without history: nothing more we can keep.
      }
      return;
    }
    past = past.slice(Math.ceil(past.length / 2));
  }
}

/** The stored session, or undefined when there is none or it is unreadable (never throws). */
export function readSession(storage: Pick<Storage, 'getItem'>): Session | undefined {
  let value: unknown;
  try {
    value = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null');
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Partial<Record<keyof Session, unknown>>;
  const doc = readGraphDocument(v.doc);
  if (!doc.ok) return undefined;
  const past = Array.isArray(v.past)
    ? v.past.flatMap((d) => {
        const r = readGraphDocument(d);
        return r.ok ? [r.graph] : [];
      })
    : [];
  return {
    doc: doc.graph,
    fileName: typeof v.fileName === 'string' ? v.fileName : 'Untitled',
    filePath: typeof v.filePath === 'string' ? v.filePath : null,
    dirty: v.dirty === true,
    savedAt: typeof v.savedAt === 'number' ? v.savedAt : 0,
    past,
  };
}
