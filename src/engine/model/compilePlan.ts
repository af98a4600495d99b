import { analyze, type GraphAnalysis } from '../../core/analysis/analyze.js';
import { BLOCK_INPUT } from '../../core/blocks/BlockDefinition.js';
import type { GraphDocument, GraphEdge, GraphNode } from '../../core/graph/document.js';
import { getDefinition } from '../../core/layers/registry.js';
import { resolveParams } from '../../core/params/resolveParams.js';
import type { Shape } from '../../core/shape.js';

/** One primitive layer to run, blocks already expanded (ids `block/inner`). */
export interface PlanStep {
  readonly id: string;
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Ids of the steps (or the Input) feeding each input port, in port order. */
  readonly sources: readonly string[];
  readonly inputShapes: readonly Shape[];
  readonly outputShape: Shape;
  readonly trainable: boolean;
}

export interface CompilePlan {
  readonly analysis: GraphAnalysis;
  /** The Input node. */
  readonly input: { readonly id: string; readonly shape: Shape };
  readonly steps: readonly PlanStep[];
  /** The step whose value is the network output (a block's output resolves to its inner node). */
  readonly output: string;
  readonly outputShape: Shape;
}

/** Why a graph cannot be compiled; the message names the node and the fix. */
export class CompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompileError';
  }
}

/** Orders edges into ports as the analysis does: explicit targetPort first, then free slots. */
function sourcesByPort(target: string, edges: readonly GraphEdge[]): string[] {
  const incoming = edges.filter((e) => e.target === target);
  const ports: string[] = [];
  for (const e of incoming) if (e.targetPort !== undefined) ports[e.targetPort] = e.source;
  let free = 0;
  for (const e of incoming) {
    if (e.targetPort !== undefined) continue;
    while (ports[free] !== undefined) free++;
    ports[free] = e.source;
  }
  return ports;
}

/**
 * Walks the analysed graph into a flat list of primitive steps. The analysis is the single source
 * of shapes and of validity: a graph with errors is refused with its first error's message.
 */
export function planGraph(graph: GraphDocument): CompilePlan {
  const analysis = analyze(graph);
  const firstError = analysis.diagnostics.find((d) => d.severity === 'error');
  if (firstError !== undefined) throw new CompileError(firstError.message);
  const inputs = graph.nodes.filter((n) => n.type === 'Input');
  if (inputs.length !== 1) {
    throw new CompileError(
      `The graph needs exactly one Input node to train, but has ${inputs.length}${
        inputs.length > 1 ? ` (${inputs.map((n) => `"${n.id}"`).join(', ')})` : ''
      }.`,
    );
  }
  if (analysis.outputs.length !== 1) {
    throw new CompileError(
      `The graph needs exactly one output (a node nothing consumes), but has ${analysis.outputs.length}: ` +
        `${analysis.outputs.map((id) => `"${id}"`).join(', ')}. Connect or delete the extra ones.`,
    );
  }
  const input = inputs[0] as GraphNode;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const steps: PlanStep[] = [];
  // A block's value is its inner output node's value.
  const alias = new Map<string, string>();
  const resolve = (id: string): string => alias.get(id) ?? id;

  const addNode = (
    node: GraphNode,
    fullId: string,
    sources: readonly string[],
    frozen: boolean,
  ): void => {
    const info = analysis.nodes.get(fullId);
    const definition = getDefinition(node.type);
    if (info === undefined || info.outputShape === null || definition === undefined) {
      throw new CompileError(`Node "${fullId}" has no known output shape; fix the graph first.`);
    }
    const inferred =
      definition.kind === 'layer' && definition.inferred ? [definition.inferred.name] : [];
    const { values } = resolveParams(definition.params, node.params, fullId, fullId, inferred);
    if (values === null) throw new CompileError(`Node "${fullId}" has invalid parameters.`);
    const trainable = !frozen && node.trainable !== false;
    if (definition.kind === 'block') {
      const expansion = definition.expand(values as never, info.inputShapes[0] ?? []);
      const inner = (id: string): string =>
        id === BLOCK_INPUT ? (sources[0] ?? '') : `${fullId}/${id}`;
      for (const child of expansion.nodes) {
        const childSources = sourcesByPort(child.id, expansion.edges).map(inner);
        addNode(child, `${fullId}/${child.id}`, childSources, !trainable);
      }
      alias.set(fullId, `${fullId}/${expansion.output}`);
      return;
    }
    steps.push({
      id: fullId,
      type: node.type,
      params: values,
      sources,
      inputShapes: info.inputShapes,
      outputShape: info.outputShape,
      trainable,
    });
  };

  for (const id of analysis.order) {
    const node = byId.get(id);
    if (node === undefined || node.type === 'Input') continue;
    addNode(node, id, sourcesByPort(id, graph.edges).map(resolve), false);
  }
  const output = resolve(analysis.outputs[0] as string);
  const outputShape = analysis.nodes.get(analysis.outputs[0] as string)?.outputShape ?? [];
  const inputShape = analysis.nodes.get(input.id)?.outputShape ?? [];
  return { analysis, input: { id: input.id, shape: inputShape }, steps, output, outputShape };
}
