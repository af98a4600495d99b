import { isError, type Diagnostic, type Fix } from '../diagnostics.js';
import type { GraphDocument, GraphNode } from '../graph/document.js';
import { spliceEdge, starterParams, type RefusalCode } from '../graph/edits.js';
import { wireInto } from '../graph/wiring.js';
import { getDefinition } from '../layers/registry.js';
import { formatShape, type Shape } from '../shape.js';
import { analyze, type GraphAnalysis } from './analyze.js';

/** What an edit being dragged would do to one node: its output shape, or why it cannot work. */
export type EditPreview =
  | {
      readonly compatible: true;
      /** The output shape the node would produce. */
      readonly shape: Shape;
      readonly text: string;
      /** The source of the input a connection would replace (a one-input node's old input). */
      readonly replaces: string | null;
    }
  | {
      readonly compatible: false;
      /** The refusal, or the analysis's message for the node (names it, the values, the fix). */
      readonly text: string;
      /** The diagnostic's one-click fix, offered on the node once the edit is made. */
      readonly fix: Fix | null;
      /** Set when the edit itself is refused (a drop changes nothing): why, as a code. */
      readonly refusal: RefusalCode | null;
    };

const refused = (
  text: string,
  fix: Fix | null = null,
  refusal: RefusalCode | null = null,
): EditPreview => ({ compatible: false, text, fix, refusal });

/** The first error about node `id` (or an inner node of it, when it is a block). */
function firstError(analysis: GraphAnalysis, id: string): Diagnostic | undefined {
  return analysis.diagnostics.find(
    (d) => isError(d) && (d.node === id || d.node?.startsWith(`${id}/`) === true),
  );
}

/** What node `id` of an analysed graph produces, or why it cannot. */
function outcome(analysis: GraphAnalysis, id: string, replaces: string | null): EditPreview {
  const error = firstError(analysis, id);
  if (error !== undefined) return refused(error.message, error.fix ?? null);
  const shape = analysis.nodes.get(id)?.outputShape;
  if (shape == null) return refused(`The output of "${id}" cannot be worked out.`);
  return { compatible: true, shape, text: formatShape(shape), replaces };
}

/**
 * What connecting `source`'s output to `target` would do (see {@link wireInto}): the shape the
 * target would output, or the refusal / the error the analysis would report, with its fix.
 * `analysis` is the current graph's. Only the target is analysed again — with stand-in Inputs of
 * its sources' known shapes — so previewing every node of a large graph stays cheap.
 */
export function previewConnection(
  graph: GraphDocument,
  analysis: GraphAnalysis,
  source: string,
  target: string,
): EditPreview {
  const wired = wireInto(graph, source, target);
  if (!wired.ok) return refused(wired.reason, null, wired.code);
  const node = wired.graph.nodes.find((n) => n.id === target);
  if (node === undefined) return refused(`There is no node "${target}".`);
  const incoming = wired.graph.edges.filter((e) => e.target === target);
  const standIns: GraphNode[] = [];
  for (const id of new Set(incoming.map((e) => e.source))) {
    const shape = analysis.nodes.get(id)?.outputShape;
    if (shape == null) {
      const type = graph.nodes.find((n) => n.id === id)?.type ?? 'node';
      return refused(
        `The output of ${type} "${id}" is not known yet: fix the problem at or above it first.`,
      );
    }
    // A stand-in keeps the source's id, so messages and fixes name the real node.
    standIns.push({ id, type: 'Input', params: { shape: [...shape] } });
  }
  const replaces = wired.replaced?.source ?? null;
  const local = analyze({ ...wired.graph, nodes: [...standIns, node], edges: incoming });
  // A shape an Input cannot hold (rank above 4): analyse the whole graph instead.
  const standInFailed = standIns.some((s) => firstError(local, s.id) !== undefined);
  return outcome(standInFailed ? analyze(wired.graph) : local, target, replaces);
}

/** What dropping a layer onto an edge splices in: the new node id, and how the result reads. */
export interface SplicePreview {
  /** The graph with the layer spliced in; null when the layer cannot go on an edge (Input). */
  readonly graph: GraphDocument | null;
  readonly id: string | null;
  readonly preview: EditPreview;
}

/**
 * What splicing a new `type` node into the edge at `index` would do (see {@link spliceEdge}):
 * the new node's output shape when it and the edge's old target both work, else the first error
 * on either, with its fix.
 */
export function previewSplice(
  graph: GraphDocument,
  index: number,
  type: string,
  at: { x: number; y: number } = { x: 0, y: 0 },
): SplicePreview {
  const edge = Number.isInteger(index) ? graph.edges[index] : undefined;
  if (edge === undefined) return { graph: null, id: null, preview: refused('No such edge.') };
  const definition = getDefinition(type);
  if (definition === undefined)
    return { graph: null, id: null, preview: refused(`Unknown layer type "${type}".`) };
  if (definition.inputs.max === 0)
    return {
      graph: null,
      id: null,
      preview: refused(`${type} is a network input; it cannot go on an edge.`),
    };
  const spliced = spliceEdge(graph, index, type, at, starterParams(type));
  if (spliced.id === null) return { graph: null, id: null, preview: refused('No such edge.') };
  const analysis = analyze(spliced.graph);
  const own = outcome(analysis, spliced.id, null);
  const after = firstError(analysis, edge.target);
  const preview =
    own.compatible && after !== undefined
      ? refused(after.message, after.fix ?? null)
      : own.compatible
        ? { ...own, text: `${type} → ${own.text}` }
        : own;
  return { graph: spliced.graph, id: spliced.id, preview };
}
