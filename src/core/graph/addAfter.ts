import type { GraphDocument } from './document.js';
import { addNode, connect, spliceEdge, type Position } from './edits.js';
import { getDefinition } from '../layers/registry.js';

/** How {@link addAfter} joined the new node to the graph. */
export type AddAfterHow = 'alone' | 'connected' | 'spliced';

/**
 * Adds a node of `type` after node `after`, as the keyboard's "add layer" does: when `after` feeds
 * exactly one node, the new one is spliced into that edge (A→B becomes A→new→B); otherwise it is
 * added at `at` and fed from `after`. A layer without inputs (Input), or no `after` node, is just
 * added at `at`.
 */
export function addAfter(
  graph: GraphDocument,
  after: string | undefined,
  type: string,
  at: Position,
): { graph: GraphDocument; id: string; how: AddAfterHow } {
  const takesInput = (getDefinition(type)?.inputs.max ?? 0) > 0;
  const source = graph.nodes.find((n) => n.id === after);
  if (source === undefined || !takesInput) return { ...addNode(graph, type, at), how: 'alone' };
  const out = graph.edges.flatMap((e, i) => (e.source === source.id ? [i] : []));
  if (out.length === 1) {
    const spliced = spliceEdge(graph, out[0] as number, type, at);
    if (spliced.id !== null) return { graph: spliced.graph, id: spliced.id, how: 'spliced' };
  }
  const added = addNode(graph, type, at);
  const wired = connect(added.graph, source.id, added.id);
  // A new node has no inputs and no outputs, so no refusal can apply; kept unwired if one did.
  return wired.ok
    ? { graph: wired.graph, id: added.id, how: 'connected' }
    : { ...added, how: 'alone' };
}
