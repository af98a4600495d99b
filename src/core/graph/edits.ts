import type { Shape } from '../shape.js';
import type { GraphDocument } from './document.js';

/** A copy of the graph whose Input node `id` has the given shape (study how resolution changes everything). */
export function withInputShape(graph: GraphDocument, id: string, shape: Shape): GraphDocument {
  return {
    ...graph,
    nodes: graph.nodes.map((n) =>
      n.id === id ? { ...n, params: { ...n.params, shape: [...shape] } } : n,
    ),
  };
}

/** Ids of the graph's Input nodes, in document order. */
export function inputNodeIds(graph: GraphDocument): string[] {
  return graph.nodes.filter((n) => n.type === 'Input').map((n) => n.id);
}
