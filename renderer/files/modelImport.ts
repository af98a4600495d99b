import { formatCount } from '../../src/core/format/numbers';
import { analyze } from '../../src/core/analysis/analyze';
import type { GraphDocument } from '../../src/core/graph/document';
import { importKeras } from '../../src/import/keras/importKeras';
import { ModelFormatError, UnsupportedModelError } from '../../src/import/onnx/importErrors';
import { importOnnx } from '../../src/import/onnx/importOnnx';
import { editorStore } from '../store/useEditor';

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

/**
 * Imports an ONNX file or a Keras model.json (with the .bin files given with it) in the page, as
 * `nnb import` does, and opens the graph laid out. The weights are not kept: a run in the app
 * starts from fresh weights (docs/import.md). A file that cannot be imported opens nothing and
 * says why; the current work is unchanged.
 */
export async function importModelFiles(files: readonly File[]): Promise<boolean> {
  const store = editorStore.getState();
  const kind = modelFileKind(files);
  const main = files.find((f) => (kind === 'onnx' ? /\.onnx$/i : /\.json$/i).test(f.name));
  if (kind === null || main === undefined) return false;
  let graph: GraphDocument;
  try {
    if (kind === 'onnx') {
      graph = importOnnx(new Uint8Array(await main.arrayBuffer()), { name: stem(main.name) }).graph;
    } else {
      const bins = new Map<string, Uint8Array>();
      for (const f of files) {
        if (/\.bin$/i.test(f.name)) bins.set(f.name, new Uint8Array(await f.arrayBuffer()));
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
  await store.load(graph, { name: `${graph.name ?? 'model'}.nnb.json`, path: null });
  const totals = analyze(graph).totals;
  store.notify(
    'info',
    `Imported ${main.name}: ${graph.nodes.length} layers, ${formatCount(totals.params)} parameters. ` +
      'Its weights are not kept in the app: Train starts from fresh weights (nnb import keeps them).',
  );
  return true;
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
