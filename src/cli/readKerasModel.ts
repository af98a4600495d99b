import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Shape } from '../core/shape.js';
import { importKeras, type ImportedKerasModel } from '../import/keras/importKeras.js';
import { manifestFiles } from '../import/keras/kerasModelJson.js';

/**
 * Imports a Keras / TensorFlow.js `model.json` with the .bin files its weights manifest lists,
 * read from beside it; a file that is not there is left out, and the importer names it.
 */
export async function readKerasModel(
  path: string,
  bytes: Uint8Array,
  name: string,
  inputShape: Shape | undefined,
): Promise<ImportedKerasModel> {
  const text = new TextDecoder().decode(bytes);
  const files = new Map<string, Uint8Array>();
  for (const file of manifestFiles(text)) {
    try {
      files.set(file, await readFile(join(dirname(path), file)));
    } catch {
      // Missing: importKeras says which file the manifest names.
    }
  }
  return importKeras(text, { name, files, ...(inputShape !== undefined && { inputShape }) });
}
