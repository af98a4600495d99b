// Files that are never half-written: the new content goes to a temporary file beside the target,
// is flushed to disk, and replaces the target in one rename; the folder is flushed too, so the
// rename itself survives a power cut. A crash or a full disk at any moment leaves either the old
// file or the new one, never a mix (POSIX rename(2) replaces atomically within one file system).
// src/io is node-only, shared by the engine, the exporters and the hosts (docs/architecture.md).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Flushes a folder's entries (the renames into it) to disk; a no-op where folders cannot be
 * opened for that (Windows). */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // EINVAL/EPERM on file systems and platforms without directory fsync: nothing more to do.
  } finally {
    closeSync(fd);
  }
}

/** A temporary name beside `path`, unique per call, hidden from listings by its leading dot. */
export function tempSibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Writes `data` to a new file at `path` (it must not exist) and flushes it to disk. */
export function writeDurable(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.byteLength) {
      offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `data` to `path` atomically and durably; on failure the old file is untouched and the
 * temporary file removed, and the error (ENOSPC, EACCES, …) is thrown. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = tempSibling(path);
  try {
    writeDurable(temp, data);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(dirname(path));
}
