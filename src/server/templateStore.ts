import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeIssues, TemplateIndexSchema, type TemplateIndex } from '../api/EngineApi.js';

/** The templates gallery: templates/index.json, and only the files it lists. */
export class TemplateStore {
  constructor(private readonly dir: string) {}

  async list(): Promise<TemplateIndex> {
    const path = join(this.dir, 'index.json');
    const text = await readFile(path, 'utf8').catch(() => {
      throw new Error(`the templates index ${path} cannot be read`);
    });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    const parsed = TemplateIndexSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${path}: ${describeIssues(parsed.error, 'index')}`);
    return parsed.data;
  }

  /** The text of a listed template; any other name is refused (no reading around the disk). */
  async read(file: string): Promise<string> {
    const index = await this.list();
    if (![...index.templates, ...index.lessons].some((t) => t.file === file))
      throw new Error(`"${file}" is not in the templates gallery`);
    return readFile(join(this.dir, file), 'utf8');
  }
}
