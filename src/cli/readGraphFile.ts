import { readFile } from 'node:fs/promises';
import type { GraphDocument } from '../core/graph/document.js';
import { parseGraphJson } from '../core/graph/parseGraph.js';
import { CliError } from './CliError.js';

/** Reads and validates a `*.nnb.json` file; every failure names the file and what is wrong. */
export async function readGraphFile(path: string): Promise<GraphDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a folder, not a graph file'
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new CliError(`cannot read ${path}: ${reason}`);
  }
  const parsed = parseGraphJson(text);
  if (!parsed.ok) throw new CliError(`${path}: ${parsed.error}`);
  return parsed.graph;
}
