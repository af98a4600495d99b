import type { GraphDocument } from '../../src/core/graph/document';

/** FNV-1a: a short key for a long string (the graph), for caching answers per graph. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/**
 * A key that changes with everything that decides a network's weights and outputs (nodes,
 * parameters, edges) and not with layout: moving a node changes nothing a run computed.
 */
export function graphKey(doc: GraphDocument): string {
  return hash(JSON.stringify({ n: doc.nodes.map(({ ui: _ui, ...n }) => n), e: doc.edges }));
}
