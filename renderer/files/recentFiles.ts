/** Recently opened or saved files, newest first, kept in localStorage. */
export interface RecentFile {
  readonly name: string;
  /** A native path (Electron), re-read through the host; null in the browser. */
  readonly path: string | null;
  /** In the browser, a copy of the content (small files only) so the entry can reopen. */
  readonly text?: string;
  readonly at: number;
}

const KEY = 'nnb.recent';
const MAX = 8;
/** Larger files are listed only in hosts that can re-read them by path. */
const MAX_COPY = 256 * 1024;

export function readRecent(storage: Pick<Storage, 'getItem'> = localStorage): RecentFile[] {
  try {
    const value: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
    return Array.isArray(value)
      ? value.filter(
          (r): r is RecentFile =>
            r !== null && typeof r === 'object' && typeof (r as RecentFile).name === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

/** Puts a file at the top of the list (replacing its older entry). */
export function addRecent(
  entry: { name: string; path: string | null; text: string },
  storage: Pick<Storage, 'getItem' | 'setItem'> = localStorage,
): RecentFile[] {
  if (entry.path === null && entry.text.length > MAX_COPY) return readRecent(storage);
  const fresh: RecentFile = {
    name: entry.name,
    path: entry.path,
    ...(entry.path === null && { text: entry.text }),
    at: Date.now(),
  };
  const same = (r: RecentFile) =>
    entry.path !== null ? r.path === entry.path : r.path === null && r.name === entry.name;
  const list = [fresh, ...readRecent(storage).filter((r) => !same(r))].slice(0, MAX);
  try {
    storage.setItem(KEY, JSON.stringify(list));
  } catch {
    // Storage full: the list is a convenience; the file itself is safe.
  }
  return list;
}
