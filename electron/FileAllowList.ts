import { readFile, writeFile } from 'node:fs/promises';

/**
 * Paths the user chose in a native dialog (persisted, for recent files). The renderer may
 * re-read these and no others: a compromised page cannot read arbitrary files by path.
 */
export class FileAllowList {
  private readonly paths = new Set<string>();

  constructor(private readonly storePath: string) {}

  async load(): Promise<void> {
    try {
      const list: unknown = JSON.parse(await readFile(this.storePath, 'utf8'));
      if (Array.isArray(list)) for (const p of list) if (typeof p === 'string') this.paths.add(p);
    } catch {
      // First launch or an unreadable list: start empty.
    }
  }

  has(path: string): boolean {
    return this.paths.has(path);
  }

  async add(path: string): Promise<void> {
    this.paths.delete(path);
    this.paths.add(path);
    const recent = [...this.paths].slice(-50);
    await writeFile(this.storePath, JSON.stringify(recent), 'utf8').catch(() => undefined);
  }
}
