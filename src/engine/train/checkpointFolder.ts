// A checkpoint folder (`last/`, `best/`, `initial/`) is replaced as a whole, never file by file:
// the new checkpoint is written complete into a hidden staging folder beside it (every file
// fsynced), the old folder is renamed aside, the staging folder renamed into place, and the old
// one removed. A kill at any moment leaves either the old folder or the new one complete under its
// name — or, between the two renames, both complete under their hidden names, which
// `findCheckpointFolder` finds and `writeCheckpointFolder` puts back before its next write.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncDir, writeFileAtomic } from '../../io/writeFileAtomic.js';

/** The steps of a switch, for tests that interrupt it (a kill between two of them). */
export type SwitchStep = `wrote ${string}` | 'staged' | 'moved-aside' | 'switched';

const STAGED = '.new-';
const ASIDE = '.old-';

/** Hidden siblings a write left behind, newest kind (staged) first. */
function leftovers(dir: string): string[] {
  const parent = dirname(dir);
  const name = basename(dir);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  const staged = entries.filter((e) => e.startsWith(`.${name}${STAGED}`));
  const aside = entries.filter((e) => e.startsWith(`.${name}${ASIDE}`));
  return [...staged.sort(), ...aside.sort()].map((e) => join(parent, e));
}

/**
 * The folder holding the checkpoint named `dir`: `dir` itself when it exists, else the complete
 * copy a switch interrupted between its two renames left beside it (`isComplete` says which
 * are), else null. Never changes anything, so readers may call it while a run writes.
 */
export function findCheckpointFolder(
  dir: string,
  isComplete: (folder: string) => boolean,
): string | null {
  if (existsSync(dir)) return dir;
  return leftovers(dir).find(isComplete) ?? null;
}

/** Puts back a checkpoint an interrupted switch left under a hidden name, and removes the
 * other leftovers; run by the (single) writer of a run folder before it writes. */
export function recoverCheckpointFolder(
  dir: string,
  isComplete: (folder: string) => boolean,
): void {
  const rest = leftovers(dir);
  if (!existsSync(dir)) {
    const complete = rest.find(isComplete);
    if (complete !== undefined) {
      renameSync(complete, dir);
      fsyncDir(dirname(dir));
    }
  }
  for (const folder of rest)
    if (existsSync(folder)) rmSync(folder, { recursive: true, force: true });
}

/**
 * Writes `files` (in order: put the file that makes the folder complete last) as the new content
 * of the folder `dir`, replacing the old content in one switch; `afterStep` lets tests stop it.
 */
export function writeCheckpointFolder(
  dir: string,
  files: readonly (readonly [name: string, data: string | Uint8Array])[],
  isComplete: (folder: string) => boolean,
  afterStep?: (step: SwitchStep) => void,
): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  recoverCheckpointFolder(dir, isComplete);
  const tag = randomBytes(6).toString('hex');
  const staging = join(parent, `.${basename(dir)}${STAGED}${tag}`);
  mkdirSync(staging);
  try {
    for (const [name, data] of files) {
      writeFileAtomic(join(staging, name), data);
      afterStep?.(`wrote ${name}`);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  fsyncDir(staging);
  afterStep?.('staged');
  let aside: string | null = null;
  if (existsSync(dir)) {
    aside = join(parent, `.${basename(dir)}${ASIDE}${tag}`);
    renameSync(dir, aside);
    afterStep?.('moved-aside');
  }
  renameSync(staging, dir);
  fsyncDir(parent);
  afterStep?.('switched');
  if (aside !== null) rmSync(aside, { recursive: true, force: true });
}
