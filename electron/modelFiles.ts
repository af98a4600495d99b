import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ModelFiles } from '../src/api/EngineApi.js';
import { MAX_IMPORT_BYTES } from '../src/api/imports.js';

/** The Open dialog's filters: graphs and the model files the page imports (docs/import.md). */
export const OPEN_FILTERS = [
  { name: 'NN Builder graph or model', extensions: ['json', 'onnx', 'bin'] },
  { name: 'NN Builder graph', extensions: ['nnb.json', 'json'] },
  { name: 'ONNX model', extensions: ['onnx'] },
  {
    name: 'Keras / TensorFlow.js model (model.json with its .bin files)',
    extensions: ['json', 'bin'],
  },
];

const isGraph = (path: string) => /\.nnb(-compare)?\.json$/i.test(path);

/**
 * The paths chosen in the Open dialog as model files to import, or null when they are a graph:
 * an `.onnx` file, or a Keras `model.json` (any `.json` chosen with `.bin` files) — with the
 * `.bin` files its weights manifest names read from beside it when they were not chosen too (a
 * manifest name is a file name only: nothing outside that folder is read).
 */
export async function readModelFiles(paths: readonly string[]): Promise<ModelFiles | null> {
  const onnx = paths.find((p) => /\.onnx$/i.test(p));
  const json = paths.filter((p) => /\.json$/i.test(p) && !isGraph(p));
  const keras =
    json.length === 1 &&
    (basename(json[0] ?? '') === 'model.json' || paths.some((p) => /\.bin$/i.test(p)))
      ? json[0]
      : undefined;
  const main = onnx ?? keras;
  if (main === undefined) return null;
  const chosen = onnx !== undefined ? [onnx] : paths.filter((p) => p === main || /\.bin$/i.test(p));
  const files = new Map<string, string>(chosen.map((p) => [basename(p), p]));
  if (onnx === undefined) {
    const listed = manifestPaths(await readFile(main, 'utf8'));
    for (const name of listed) {
      if (!files.has(name)) files.set(name, join(dirname(main), basename(name)));
    }
  }
  let total = 0;
  const read: ModelFiles['files'] = [];
  for (const [name, path] of files) {
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile()) continue;
      size = info.size;
    } catch {
      continue; // A missing .bin: the importer names the file its manifest lists.
    }
    total += size;
    if (total > MAX_IMPORT_BYTES) {
      throw new Error(
        `${basename(main)} and its files are larger than ${MAX_IMPORT_BYTES} bytes; import it with nnb import instead.`,
      );
    }
    read.push({ name, data: (await readFile(path)).toString('base64') });
  }
  return { path: main, files: read };
}

/** The file names a model.json's weightsManifest lists (none when it is not such JSON: the
 * page's import then says what is wrong with the file). */
function manifestPaths(text: string): string[] {
  try {
    const json = JSON.parse(text) as { weightsManifest?: { paths?: unknown }[] };
    const paths = (json.weightsManifest ?? []).flatMap((g) =>
      Array.isArray(g.paths) ? g.paths : [],
    );
    return paths
      .filter((p): p is string => typeof p === 'string')
      .map((p) => basename(p))
      .filter((name) => name !== '.' && name !== '..');
  } catch {
    return [];
  }
}
