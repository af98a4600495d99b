// An export's files appear complete or not at all. A new --out folder is written as a hidden
// temporary folder beside it and renamed into place; into an existing folder each file is written
// in a hidden temporary folder inside it and renamed over its namesake (other files there are left
// alone). Every file and folder is fsynced (src/io).
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fsyncDir, writeDurable } from '../io/writeFileAtomic.js';

/** The bundle could not be written where asked: names the folder and the reason. */
export class BundleWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleWriteError';
  }
}

const REASONS: Readonly<Record<string, string>> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way where a folder is needed',
  ENAMETOOLONG: 'the path is too long',
};

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known = code === undefined ? undefined : REASONS[code];
  return known === undefined ? (error as Error).message : `${known} (${code})`;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * Writes `files` into the folder `outDir` (made with its missing parents), all or nothing; returns
 * the paths written. Throws BundleWriteError naming the folder and why (read-only, no space, …).
 */
export function writeBundle(
  outDir: string,
  files: ReadonlyMap<string, string | Uint8Array>,
): string[] {
  const out = resolve(outDir);
  const parent = dirname(out);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (error) {
    throw new BundleWriteError(`cannot create the folder ${parent} for --out: ${reason(error)}`);
  }
  const existing = statOrNull(out);
  if (existing !== null && !existing.isDirectory()) {
    throw new BundleWriteError(`--out ${out} is a file; give a folder (new or existing)`);
  }
  const tag = randomBytes(6).toString('hex');
  const temp =
    existing === null
      ? join(parent, `.${basename(out)}.${tag}.tmp`)
      : join(out, `.nnb-export.${tag}.tmp`);
  try {
    mkdirSync(temp);
    for (const [name, data] of files) writeDurable(join(temp, name), data);
    fsyncDir(temp);
    if (existing === null) {
      renameSync(temp, out);
      fsyncDir(parent);
    } else {
      for (const name of files.keys()) renameSync(join(temp, name), join(out, name));
      fsyncDir(out);
      rmSync(temp, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    const folder = existing === null ? parent : out;
    throw new BundleWriteError(
      `cannot write the export into ${folder}${folder === out ? '' : ` (for --out ${out})`}: ${reason(error)}`,
    );
  }
  return [...files.keys()].map((name) => join(outDir, name));
}
