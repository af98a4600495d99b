import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphDocument } from '../core/graph/document.js';
import type { StateDict } from '../core/weights/StateDict.js';
import { saveImportedCheckpoint } from '../engine/train/importedCheckpoint.js';

/** The files saveCheckpoint writes: a checkpoint folder's complete content. */
const CHECKPOINT_FILES = ['model.json', 'weights.bin'] as const;

/**
 * Imported weights as the files of a checkpoint folder (model.json + weights.bin), written by the
 * engine's own saveCheckpoint into a scratch folder and read back: the layout has one writer, and
 * loading the weights into the compiled model checks every tensor's name and shape on the way.
 * Prediction reads images as pixels/255 (mean 0, std 1); the classes are numbered.
 */
export async function checkpointFiles(
  graph: GraphDocument,
  state: StateDict,
): Promise<[string, Uint8Array][]> {
  const scratch = mkdtempSync(join(tmpdir(), 'nnb-import-'));
  try {
    await saveImportedCheckpoint(join(scratch, 'initial'), graph, state);
    return CHECKPOINT_FILES.map((name) => [name, readFileSync(join(scratch, 'initial', name))]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
