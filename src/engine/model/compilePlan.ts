import { analyze, type GraphAnalysis } from '../../core/analysis/analyze.js';
import type { GraphDocument } from '../../core/graph/document.js';
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

/**
 * Walks the analysed graph into a flat list of primitive steps. The analysis is the single source
 * of shapes, validity, resolved params and port order (blocks already expanded into `block/inner`
 * layers): a graph with errors is refused with its first error's message.
 */
export function planGraph(graph: GraphDocument): CompilePlan {
  const analysis = analyze(graph);
  const firstError = analysis.diagnostics.find((d) => d.severity === 'error');
  if (firstError !== undefined) throw new CompileError(firstError.message);
  const inputs = analysis.layers.filter((l) => l.type === 'Input');
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
  // A block's value is its inner output node's value.
  const resolve = (id: string): string => analysis.nodes.get(id)?.outputNode ?? id;
  const steps: PlanStep[] = [];
  for (const layer of analysis.layers) {
    if (layer.type === 'Input') continue;
    if (layer.outputShape === null || layer.resolvedParams === null) {
      throw new CompileError(`Node "${layer.id}" has no known output shape; fix the graph first.`);
    }
    steps.push({
      id: layer.id,
      type: layer.type,
      params: layer.resolvedParams,
      sources: layer.sources.map(resolve),
      inputShapes: layer.inputShapes,
      outputShape: layer.outputShape,
      // Frozen nodes (and everything inside a frozen block) count their params as non-trainable.
      trainable: layer.params === 0 || layer.trainableParams > 0,
    });
  }
  const input = inputs[0] as (typeof inputs)[number];
  const output = analysis.outputs[0] as string;
  return {
    analysis,
    input: { id: input.id, shape: input.outputShape ?? [] },
    steps,
    output: resolve(output),
    outputShape: analysis.nodes.get(output)?.outputShape ?? [],
  };
}
