import { formatCount } from '../../src/core/format/numbers';
import { analyze } from '../../src/core/analysis/analyze';
import type { GraphDocument } from '../../src/core/graph/document';
import { importKeras } from '../../src/import/keras/importKeras';
import { ModelFormatError, UnsupportedModelError } from '../../src/import/onnx/importErrors';
import { importOnnx } from '../../src/import/onnx/importOnnx';
import { IMPORT_CHUNK_BYTES, type ImportFinishResult } from '../../src/api/imports';
import { getEngine } from '../api/engine';
import { hostInfo } from '../api/hostInfo';
import { editorStore } from '../store/useEditor';
import { forgetImport, forgetImportOnOtherDocument, keepImport } from '../training/importedWeights';

/** What the files chosen or dropped together are: a model to import, or anything else. */
export function modelFileKind(files: readonly File[]): 'onnx' | 'keras' | null {
  if (files.some((f) => /\.onnx$/i.test(f.name))) return 'onnx';
  const json = files.filter(
    (f) => /\.json$/i.test(f.name) && !/\.nnb(-compare)?\.json$/i.test(f.name),
  );
  if (
    json.length === 1 &&
    (json[0]?.name === 'model.json' || files.some((f) => /\.bin$/i.test(f.name)))
  ) {
    return 'keras';
  }
  return null;
}

const stem = (name: string) => name.replace(/\.(onnx|json)$/i, '') || 'model';

// A kept import belongs to its model: opening another graph forgets it.
forgetImportOnOtherDocument(editorStore.subscribe);

/**
 * Imports an ONNX file or a Keras model.json (with the .bin files given with it) in the page, as
 * `nnb import` does, and opens the graph laid out; then hands the files to the host, which
 * imports them again and keeps the weights (`imports.*`): Train fine-tunes them and Inspect shows
 * them (docs/import.md). A file that cannot be imported opens nothing and says why; the current
 * work is unchanged.
 */
export async function importModelFiles(files: readonly File[]): Promise<boolean> {
  const store = editorStore.getState();
  const kind = modelFileKind(files);
  const main = files.find((f) => (kind === 'onnx' ? /\.onnx$/i : /\.json$/i).test(f.name));
  if (kind === null || main === undefined) return false;
  let graph: GraphDocument;
  const used: File[] = [main];
  try {
    if (kind === 'onnx') {
      graph = importOnnx(new Uint8Array(await main.arrayBuffer()), { name: stem(main.name) }).graph;
    } else {
      const bins = new Map<string, Uint8Array>();
      for (const f of files) {
        if (!/\.bin$/i.test(f.name)) continue;
        bins.set(f.name, new Uint8Array(await f.arrayBuffer()));
        used.push(f);
      }
      const text = await main.text();
      const name = main.name === 'model.json' ? 'model' : stem(main.name);
      graph = importKeras(text, { name, files: bins }).graph;
    }
  } catch (error) {
    store.notify(
      'error',
      `Cannot import ${main.name}: ${importProblem(error)} Your current work is unchanged.`,
    );
    return true;
  }
  forgetImport();
  await store.load(graph, { name: `${graph.name ?? 'model'}.nnb.json`, path: null });
  const totals = analyze(graph).totals;
  const imported = `Imported ${main.name}: ${graph.nodes.length} layers, ${formatCount(totals.params)} parameters.`;
  if (!(await hostInfo()).training) {
    store.notify(
      'info',
      `${imported} Its weights are not kept: this host runs without the training engine, so Train would start from fresh weights (nnb import keeps them).`,
    );
    return true;
  }
  store.notify('info', `${imported} Keeping its weights…`);
  const opened = editorStore.getState().file;
  try {
    const { importId, tensors } = await uploadModel(kind, main.name, used);
    if (editorStore.getState().file !== opened) return true; // another graph was opened meanwhile
    keepImport(importId, main.name, graph, tensors);
    store.notify(
      'info',
      `${imported} Its weights are kept: Train fine-tunes them and Inspect shows them (the Training tab says which layers take them).`,
    );
  } catch (error) {
    store.notify(
      'error',
      `${imported} Its weights could not be kept (${error instanceof Error ? error.message : String(error)}): Train starts from fresh weights.`,
    );
  }
  return true;
}

/** The files to the host in chunks under the socket's message limit; the host imports them. */
async function uploadModel(
  kind: 'onnx' | 'keras',
  name: string,
  files: readonly File[],
): Promise<ImportFinishResult> {
  const { imports } = getEngine();
  const { uploadId } = await imports.begin({
    kind,
    name,
    files: files.map((f) => ({ name: f.name, bytes: f.size })),
  });
  for (const [index, file] of files.entries()) {
    for (let offset = 0; offset < file.size; offset += IMPORT_CHUNK_BYTES) {
      const chunk = new Uint8Array(
        await file.slice(offset, offset + IMPORT_CHUNK_BYTES).arrayBuffer(),
      );
      await imports.write({ uploadId, file: index, offset, data: toBase64(chunk) });
    }
  }
  return imports.finish(uploadId);
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its arguments on the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The reason in a sentence: what is broken, or which operators NN Builder lacks. */
function importProblem(error: unknown): string {
  if (error instanceof UnsupportedModelError) {
    const ops = error.operators.map((o) => `${o.op} ×${o.count} (${o.reason})`).join('; ');
    return `${error.message}${ops ? `: ${ops}` : ''}.`;
  }
  if (error instanceof ModelFormatError) return `${error.message}.`;
  return `the file could not be read (${error instanceof Error ? error.message : String(error)}).`;
}
