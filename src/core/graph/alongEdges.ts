import type { GraphDocument } from './document.js';

/** A step of the keyboard selection: down to a consumer, up to a source, across to a sibling. */
export type EdgeStep = 'next' | 'previous' | 'sibling-next' | 'sibling-previous';

/**
 * The node one step from `id` along the edges, or undefined where the graph ends: `next` is the
 * first node it feeds, `previous` its first input, both in edge order (so along a chain the
 * arrow keys walk the network as it computes). `sibling-next`/`-previous` go to the node beside
 * it that shares its first input (the other branch of a fork), wrapping around.
 */
export function alongEdges(graph: GraphDocument, id: string, step: EdgeStep): string | undefined {
  if (!graph.nodes.some((n) => n.id === id)) return undefined;
  switch (step) {
    case 'next':
      return graph.edges.find((e) => e.source === id)?.target;
    case 'previous':
      return inputsOf(graph, id)[0];
    case 'sibling-next':
    case 'sibling-previous': {
      const parent = inputsOf(graph, id)[0];
      if (parent === undefined) return undefined;
      const siblings = [
        ...new Set(graph.edges.filter((e) => e.source === parent).map((e) => e.target)),
      ];
      if (siblings.length < 2) return undefined;
      const here = siblings.indexOf(id);
      const by = step === 'sibling-next' ? 1 : siblings.length - 1;
      return siblings[(here + by) % siblings.length];
    }
  }
}

/** The sources of `id`'s inputs, by input port (explicit ports first), then edge order. */
function inputsOf(graph: GraphDocument, id: string): string[] {
  return graph.edges
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.target === id)
    .sort((a, b) => (a.e.targetPort ?? Infinity) - (b.e.targetPort ?? Infinity) || a.i - b.i)
    .map(({ e }) => e.source);
}
