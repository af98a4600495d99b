import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../src/io/writeFileAtomic.js';

/** The newest entries kept of each kind (recent files, picked dataset folders). */
const KEEP = 50;

/**
 * Paths the user chose in a native dialog (persisted, for recent files): files the renderer may
 * re-read, and folders it may train on. The renderer may use these and no others: a compromised
 * page cannot read arbitrary files or folders by path.
 */
export class FileAllowList {
  private readonly paths = new Set<string>();
  private readonly dirs = new Set<string>();

  constructor(private readonly storePath: string) {}

  async load(): Promise<void> {
    let stored: unknown;
    try {
      stored = JSON.parse(await readFile(this.storePath, 'utf8'));
    } catch {
      return; // First launch or an unreadable list: start empty.
    }
    // Older versions stored the files as a bare array.
    const { files, folders } = Array.isArray(stored)
      ? { files: stored as unknown[], folders: [] }
      : (stored as { files?: unknown; folders?: unknown });
    for (const [list, into] of [
      [files, this.paths],
      [folders, this.dirs],
    ] as const) {
      if (Array.isArray(list)) for (const p of list) if (typeof p === 'string') into.add(p);
    }
  }

  /** Whether `path` is a file the user opened or saved in a dialog. */
  has(path: string): boolean {
    return this.paths.has(path);
  }

  async add(path: string): Promise<void> {
    this.paths.delete(path);
    this.paths.add(path);
    await this.save();
  }

  /** The folders the user picked for datasets (newest last). */
  folders(): readonly string[] {
    return [...this.dirs];
  }

  async addFolder(path: string): Promise<void> {
    this.dirs.delete(path);
    this.dirs.add(path);
    await this.save();
  }

  private async save(): Promise<void> {
    const newest = (set: Set<string>) => [...set].slice(-KEEP);
    const list = { files: newest(this.paths), folders: newest(this.dirs) };
    try {
      writeFileAtomic(this.storePath, JSON.stringify(list));
    } catch {
      // Not remembered across launches (read-only profile): this session still has the list.
    }
  }
}
