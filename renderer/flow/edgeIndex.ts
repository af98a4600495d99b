import type { GraphDocument } from '../../src/core/graph/document';
import { edgeKey } from '../../src/core/graph/edits';

/**
 * The document index of the edge whose React Flow id is `key` (`source->target#index`, see
 * edgeKey), or -1 when the document has no such edge (a stale or malformed id).
 */
export function edgeIndex(doc: GraphDocument, key: string): number {
  const tail = key.slice(key.lastIndexOf('#') + 1);
  if (!/^\d+$/.test(tail)) return -1;
  const index = Number(tail);
  const edge = doc.edges[index];
  return edge !== undefined && edgeKey(edge, index) === key ? index : -1;
}
