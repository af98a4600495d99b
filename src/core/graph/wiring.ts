import { getDefinition } from '../layers/registry.js';
import type { GraphDocument, GraphEdge } from './document.js';
import { connect, type RefusalCode } from './edits.js';

export type WireOutcome =
  | {
      readonly ok: true;
      readonly graph: GraphDocument;
      /** The edge the new one took the place of (a one-input node's old input), or null. */
      readonly replaced: GraphEdge | null;
    }
  | { readonly ok: false; readonly reason: string; readonly code: RefusalCode };

/**
 * What dropping a connection from `source` onto `target` does: connects them, or — when the
 * target takes one input and already has one from another node — feeds it from `source` instead
 * (its old input edge is rewired, keeping its port). Anything else `connect` refuses (a cycle,
 * a self-loop, a duplicate, a network input, a full multi-input node) is refused with the reason.
 */
export function wireInto(graph: GraphDocument, source: string, target: string): WireOutcome {
  const node = graph.nodes.find((n) => n.id === target);
  const incoming = graph.edges.filter((e) => e.target === target);
  const old = incoming[0];
  // Dropping a wire on an occupied single input replaces it, as node editors do (Blender,
  // Unreal): the one-input chains of a template would otherwise refuse every drop.
  if (
    node !== undefined &&
    old !== undefined &&
    incoming.length === 1 &&
    old.source !== source &&
    getDefinition(node.type)?.inputs.max === 1
  ) {
    const without = { ...graph, edges: graph.edges.filter((e) => e !== old) };
    const outcome = connect(without, source, target);
    if (!outcome.ok) return outcome;
    return {
      ok: true,
      graph: { ...graph, edges: graph.edges.map((e) => (e === old ? { ...old, source } : e)) },
      replaced: old,
    };
  }
  const outcome = connect(graph, source, target);
  return outcome.ok ? { ok: true, graph: outcome.graph, replaced: null } : outcome;
}
