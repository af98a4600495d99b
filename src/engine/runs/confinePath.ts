// Paths that arrive through the EngineApi (a page, a compromised renderer, another local process)
// are confined to folders the user chose: the runs folder, or the dataset folders the user picked.
// A path is judged by its real location (symlinks and `..` resolved by realpath), never by its
// spelling, and a refusal says nothing about what exists outside those folders.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** A path outside the folders it must stay in; the message names only what the caller sent. */
export class PathConfinementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathConfinementError';
  }
}

export interface ConfineOptions {
  /** What the path is, for messages: "the run to resume", "the dataset folder". */
  readonly what: string;
  /** Whether the folder itself is acceptable (a picked dataset folder), or only what is inside it
   * (a run inside the runs folder). */
  readonly allowRoot: boolean;
  /** Case-insensitive comparison (Windows, and macOS's default volumes); the default is this
   * platform's. Both sides are real paths already, so this only guards a spelling realpath
   * left as it was. */
  readonly ignoreCase?: boolean;
  /** How the user adds a folder, appended to a refusal ("start the server with --data DIR"). */
  readonly hint?: string;
}

const CASE_INSENSITIVE = process.platform === 'win32' || process.platform === 'darwin';

/** Whether real path `inner` is `outer` itself or inside it (pure: no file system access). */
export function isInside(outer: string, inner: string, ignoreCase = CASE_INSENSITIVE): boolean {
  const fold = (p: string) => (ignoreCase ? p.toLowerCase() : p);
  const rel = relative(fold(outer), fold(inner));
  // `..`, `../x` leave the folder; `..x` is a name inside it; another drive gives an absolute path.
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** realpath, or null when the path does not exist (or cannot be resolved). */
function realOrNull(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    return null;
  }
}

/** The real path of the nearest existing folder above `path` (the root of the disk at worst). */
function nearestExisting(path: string): string {
  let at = dirname(path);
  for (;;) {
    const real = realOrNull(at);
    if (real !== null) return real;
    const up = dirname(at);
    if (up === at) return at;
    at = up;
  }
}

/**
 * The real path of `requested` (relative paths are taken from the first root) if it lies in one
 * of `roots`; otherwise throws PathConfinementError. A path that does not exist is reported as
 * missing only when its nearest existing folder is inside a root: outside them, "missing" and
 * "refused" read the same, so nothing outside can be probed.
 */
export function confinePath(
  requested: string,
  roots: readonly string[],
  options: ConfineOptions,
): string {
  const { what, allowRoot } = options;
  const realRoots = roots.map(realOrNull).filter((r): r is string => r !== null);
  const names = roots.length === 0 ? 'none has been chosen' : roots.join(', ');
  const outside = new PathConfinementError(
    (roots.length === 1
      ? `${what} "${requested}" is not inside ${roots[0]}; only paths inside it are accepted.`
      : `${what} "${requested}" is not inside the folders chosen for it (${names}).`) +
      (options.hint === undefined ? '' : ` ${options.hint}`),
  );
  if (realRoots.length === 0) throw outside;
  const absolute = resolve(roots[0] ?? '.', requested);
  const inRoot = (real: string, root: string) =>
    isInside(root, real, options.ignoreCase) &&
    (allowRoot || !isSame(root, real, options.ignoreCase));
  const real = realOrNull(absolute);
  if (real === null) {
    const parent = nearestExisting(absolute);
    if (realRoots.some((root) => isInside(root, parent, options.ignoreCase))) {
      throw new PathConfinementError(`${what} "${requested}" does not exist.`);
    }
    throw outside;
  }
  if (!realRoots.some((root) => inRoot(real, root))) throw outside;
  return real;
}

function isSame(a: string, b: string, ignoreCase = CASE_INSENSITIVE): boolean {
  return ignoreCase ? a.toLowerCase() === b.toLowerCase() : a === b;
}
