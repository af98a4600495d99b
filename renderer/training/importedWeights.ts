import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { ImportedTensor } from '../../src/api/imports';
import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import type { GraphDocument } from '../../src/core/graph/document';
import { describeWeightsFit, weightsFit, type WeightsFit } from '../../src/core/weights/weightsFit';
import { graphKey } from '../store/graphKey';

/** An imported model whose weights the host keeps (`imports.finish`): what a run starts from. */
export interface KeptImport {
  /** The host's folder of the import, `import-…`, in its runs folder. */
  readonly importId: string;
  /** The model file it came from: `lenet.onnx`, `model.json`. */
  readonly fileName: string;
  /** The import's state dict: key → shape (PyTorch's layout). */
  readonly tensors: ReadonlyMap<string, readonly number[]>;
  /** graphKey of the graph as imported: unedited, it is the model the file computes. */
  readonly graphKey: string;
}

export interface ImportedWeightsState {
  readonly kept: KeptImport | null;
  /** The user's choice in the training panel: start from the imported weights (default on). */
  readonly use: boolean;
}

export const importedWeightsStore = createStore<ImportedWeightsState>()(() => ({
  kept: null,
  use: true,
}));

export function useImportedWeights<T>(selector: (s: ImportedWeightsState) => T): T {
  return useStore(importedWeightsStore, selector);
}

/** Keeps the host's import of `graph` as the weights the next runs start from. */
export function keepImport(
  importId: string,
  fileName: string,
  graph: GraphDocument,
  tensors: readonly ImportedTensor[],
): void {
  importedWeightsStore.setState({
    kept: {
      importId,
      fileName,
      tensors: new Map(tensors.map((t) => [t.key, t.shape])),
      graphKey: graphKey(graph),
    },
    use: true,
  });
}

export function forgetImport(): void {
  importedWeightsStore.setState({ kept: null, use: true });
}

/** What a run (and the Inspect views) would start from for the editor's graph. */
export interface StartingWeights {
  readonly importId: string;
  readonly fileName: string;
  readonly fit: WeightsFit;
  /** `Starts from the weights of lenet.onnx: …`, or why they do not apply. */
  readonly note: string;
  /** Some layer takes the imported weights (otherwise a run starts fresh and says so). */
  readonly applies: boolean;
  /** The graph is the import unedited: the host's import folder is exactly this model. */
  readonly unedited: boolean;
}

/**
 * The kept import matched against the editor's graph (null: none kept, or the user chose fresh
 * weights). Layers whose tensors no longer fit (an edited or added layer) start fresh; the note
 * names them.
 */
export function startingWeights(
  state: ImportedWeightsState,
  doc: GraphDocument,
  analysis: GraphAnalysis,
): StartingWeights | null {
  const { kept } = state;
  if (kept === null || !state.use) return null;
  const fit = weightsFit(analysis, kept.tensors);
  return {
    importId: kept.importId,
    fileName: kept.fileName,
    fit,
    note: describeWeightsFit(fit, kept.fileName),
    applies: fit.kept.length > 0,
    unedited: graphKey(doc) === kept.graphKey,
  };
}

/**
 * Forgets the kept import when another document is opened (the document and its file identity
 * change together, to a graph that is not the import's): its weights belong to that model only.
 * Edits, saves and layout changes keep it; the training panel says which layers still fit.
 */
export function forgetImportOnOtherDocument(
  subscribe: (
    listener: (
      next: { doc: GraphDocument; file: unknown },
      prev: { doc: GraphDocument; file: unknown },
    ) => void,
  ) => () => void,
): () => void {
  return subscribe((next, prev) => {
    const { kept } = importedWeightsStore.getState();
    if (kept === null || next.doc === prev.doc || next.file === prev.file) return;
    if (graphKey(next.doc) !== kept.graphKey) forgetImport();
  });
}
