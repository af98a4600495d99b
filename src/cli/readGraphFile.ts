import { readFile } from 'node:fs/promises';
import type { GraphDocument } from '../core/graph/document.js';
import { parseGraphJson } from '../core/graph/parseGraph.js';
import { CliError } from './CliError.js';

/**
 * A file's bytes; a failure is a CliError naming the file and why, in words (`kind` names what
 * the file should have been: "it is a folder, not a graph file").
 */
export async function readInputFile(path: string, kind: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? `it is a folder, not a ${kind}`
          : code === 'EACCES'
            ? 'permission denied'
            : (error as Error).message;
    throw new CliError(`cannot read ${path}: ${reason}`);
  }
}

/** Reads and validates a `*.nnb.json` file; every failure names the file and what is wrong. */
export async function readGraphFile(path: string): Promise<GraphDocument> {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(
    await readInputFile(path, 'graph file'),
  );
  const parsed = parseGraphJson(text);
  if (!parsed.ok) throw new CliError(`${path}: ${parsed.error}`);
  return parsed.graph;
}
