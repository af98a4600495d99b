import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import {
  previewConnection,
  previewSplice,
  type EditPreview,
} from '../../src/core/analysis/connectPreview';
import type { GraphDocument } from '../../src/core/graph/document';
import { edgeIndex } from './edgeIndex';

// Previews depend on the graph's structure, which changes only with its analysis: one table per
// analysis, so a node's store selector gets the same object back until the graph changes (and
// each pair is worked out once, however often the component renders).
const connections = new WeakMap<GraphAnalysis, Map<string, EditPreview>>();
const splices = new WeakMap<GraphAnalysis, Map<string, EditPreview>>();

function memo(
  table: WeakMap<GraphAnalysis, Map<string, EditPreview>>,
  analysis: GraphAnalysis,
  key: string,
  compute: () => EditPreview,
): EditPreview {
  let entries = table.get(analysis);
  if (entries === undefined) {
    entries = new Map();
    table.set(analysis, entries);
  }
  let hit = entries.get(key);
  if (hit === undefined) {
    hit = compute();
    entries.set(key, hit);
  }
  return hit;
}

/** What dropping a wire from `source` on `target` would do (previewConnection), memoised. */
export function connectPreviewFor(
  doc: GraphDocument,
  analysis: GraphAnalysis,
  source: string,
  target: string,
): EditPreview {
  return memo(connections, analysis, `${source}\u0000${target}`, () =>
    previewConnection(doc, analysis, source, target),
  );
}

/** What dropping a `type` layer on edge `key` would do (previewSplice), memoised. */
export function splicePreviewFor(
  doc: GraphDocument,
  analysis: GraphAnalysis,
  key: string,
  type: string,
): EditPreview {
  return memo(
    splices,
    analysis,
    `${key}\u0000${type}`,
    () => previewSplice(doc, edgeIndex(doc, key), type).preview,
  );
}
