import { analyze } from '../../core/analysis/analyze.js';
import { GRAPH_FORMAT, GRAPH_VERSION } from '../../core/graph/document.js';
import type { GraphDocument, GraphEdge, ParamValue } from '../../core/graph/document.js';
import { getDefinition } from '../../core/layers/registry.js';
import type { Shape } from '../../core/shape.js';
import type { StateDict, WeightTensor } from '../../core/weights/StateDict.js';
import { layerTensors } from '../../core/weights/layerTensors.js';
import { elementCount, type ConstTensor } from './constTensor.js';
import type { OnnxNode } from './onnxFile.js';
import { matchSqueezeExcitation } from './squeezeExcitation.js';

export type Params = Readonly<Record<string, ParamValue>>;

/** A tensor computed by a layer of the graph being built: its node and per-sample shape. */
export interface LayerValue {
  readonly kind: 'layer';
  readonly id: string;
  readonly shape: Shape;
}

/** A layer the imported graph cannot take as it is: the reason, in the user's terms. */
export class Refusal extends Error {
  /** `node`: the ONNX node to report, when not the one being imported (a Pad read later). */
  constructor(
    reason: string,
    readonly node?: OnnxNode,
  ) {
    super(reason);
    this.name = 'Refusal';
  }
}

/** A layer added to the graph; fusions may still change its type, params and weights. */
export interface BuiltLayer {
  readonly id: string;
  type: string;
  params: Params;
  readonly sources: readonly string[];
  /** By state-dict tensor name (`weight`, `running_mean`); counters are filled in. */
  weights: Readonly<Record<string, ConstTensor>>;
}

/**
 * The graph document and weights an import builds, one layer at a time. Each layer is checked by
 * the core's own analysis as it is added (a one-layer graph fed with its inputs' shapes), so a
 * setting our layers cannot take is refused at the node that has it, with the analysis's message.
 */
export class GraphBuilder {
  private readonly nodes: BuiltLayer[] = [];
  private readonly byId = new Map<string, BuiltLayer>();
  private readonly taken = new Set<string>();
  private readonly stemCounts = new Map<string, number>();

  /** A unique id: the readable hint, else the type's stem numbered (`conv1`, `conv2`, …). */
  private uniqueId(hint: string | undefined, type: string): string {
    let base = hint;
    if (base === undefined) {
      const definition = getDefinition(type);
      const stem =
        (definition?.kind === 'layer' ? definition.idStem : undefined) ?? type.toLowerCase();
      const n = (this.stemCounts.get(stem) ?? 0) + 1;
      this.stemCounts.set(stem, n);
      base = `${stem}${n}`;
    }
    let id = base;
    for (let k = 2; this.taken.has(id); k++) id = `${base}_${k}`;
    this.taken.add(id);
    return id;
  }

  private push(layer: BuiltLayer): void {
    this.nodes.push(layer);
    this.byId.set(layer.id, layer);
  }

  addInput(hint: string | undefined, shape: Shape): LayerValue {
    const id = this.uniqueId(hint, 'Input');
    this.push({ id, type: 'Input', params: { shape: [...shape] }, sources: [], weights: {} });
    return { kind: 'layer', id, shape };
  }

  /** Adds a layer fed by `sources` (in port order); throws Refusal when the analysis rejects it. */
  addLayer(
    type: string,
    params: Params,
    sources: readonly LayerValue[],
    weights: Readonly<Record<string, ConstTensor>>,
    hint: string | undefined,
  ): LayerValue {
    const id = this.uniqueId(hint, type);
    const shape = layerShape(id, type, params, sources);
    this.push({ id, type, params, sources: sources.map((s) => s.id), weights });
    return { kind: 'layer', id, shape };
  }

  /**
   * Folds every squeeze-excitation the layers form into one SqueezeExcitation block, in the
   * Multiply's place; its convolutions' weights become the block's `fc1` and `fc2`.
   */
  foldSqueezeExcitations(): void {
    const readers = new Map<string, number>();
    for (const n of this.nodes)
      for (const s of n.sources) readers.set(s, (readers.get(s) ?? 0) + 1);
    for (const m of [...this.nodes]) {
      const match = matchSqueezeExcitation(
        m,
        (id) => this.byId.get(id),
        (id) => readers.get(id) ?? 0,
      );
      if (match === undefined) continue;
      const [, fc1, , fc2] = match.layers;
      for (const l of match.layers) {
        this.byId.delete(l.id);
        this.taken.delete(l.id);
      }
      const id = this.uniqueId(match.name ?? m.id, 'SqueezeExcitation');
      const block: BuiltLayer = {
        id,
        type: 'SqueezeExcitation',
        params: match.params,
        sources: [match.input],
        weights: {},
      };
      const gone = new Set(match.layers.map((l) => l.id));
      const at = this.nodes.indexOf(m);
      this.nodes.splice(at, 1, block);
      for (let i = this.nodes.length - 1; i >= 0; i--) {
        const n = this.nodes[i];
        if (n !== undefined && gone.has(n.id)) this.nodes.splice(i, 1);
      }
      for (const [i, n] of this.nodes.entries()) {
        if (n.sources.includes(m.id)) {
          this.nodes[i] = { ...n, sources: n.sources.map((s) => (s === m.id ? id : s)) };
          this.byId.set(n.id, this.nodes[i] as BuiltLayer);
        }
      }
      this.byId.set(id, block);
      // The block's inner layers (`<id>/fc1`) find their weights here when the state is built.
      for (const [inner, conv] of [
        ['fc1', fc1],
        ['fc2', fc2],
      ] as const) {
        if (conv !== undefined) this.byId.set(`${id}/${inner}`, { ...conv, id: `${id}/${inner}` });
      }
    }
  }

  /** The type, params and weights of a layer already added (for fusions: MatMul + Add). */
  layer(id: string): BuiltLayer | undefined {
    return this.byId.get(id);
  }

  document(name: string, description: string): GraphDocument {
    const edges: GraphEdge[] = this.nodes.flatMap((n) =>
      n.sources.map((source, port) =>
        n.sources.length > 1
          ? { source, target: n.id, targetPort: port }
          : { source, target: n.id },
      ),
    );
    return {
      format: GRAPH_FORMAT,
      version: GRAPH_VERSION,
      name,
      description,
      nodes: this.nodes.map((n) => ({
        id: n.id,
        type: n.type,
        ...(Object.keys(n.params).length > 0 && { params: n.params }),
      })),
      edges,
    };
  }

  /**
   * The weights in PyTorch's layout, one entry per tensor the layer definitions declare; the
   * counters (`num_batches_tracked`) the file cannot hold start at 0.
   */
  stateDict(graph: GraphDocument): StateDict {
    const analysis = analyze(graph);
    const state = new Map<string, WeightTensor>();
    for (const layer of analysis.layers) {
      const given = this.layer(layer.id)?.weights ?? {};
      for (const spec of layerTensors(layer)) {
        const key = `${layer.id}.${spec.name}`;
        if (spec.role === 'batches-tracked') {
          state.set(key, { shape: [...spec.shape], dtype: 'int64', data: new Float64Array(1) });
          continue;
        }
        const tensor = given[spec.name];
        if (tensor === undefined || elementCount(tensor.dims) !== elementCount(spec.shape)) {
          throw new Refusal(
            `${layer.type} "${layer.id}" needs ${spec.name} of shape ${spec.shape.join('×')}, ` +
              `the file gives ${tensor === undefined ? 'none' : tensor.dims.join('×')}`,
          );
        }
        state.set(key, {
          shape: [...spec.shape],
          dtype: 'float32',
          data: Float32Array.from(tensor.data),
        });
      }
    }
    return state;
  }
}

/** The output shape of one layer, from the core's analysis of it alone; Refusal with its message. */
function layerShape(
  id: string,
  type: string,
  params: Params,
  sources: readonly LayerValue[],
): Shape {
  const inputs = sources.map((s, i) => ({
    id: `${id} input ${i}`,
    type: 'Input',
    params: { shape: [...s.shape] },
  }));
  const graph: GraphDocument = {
    format: GRAPH_FORMAT,
    version: GRAPH_VERSION,
    nodes: [...inputs, { id, type, params }],
    edges: inputs.map((input, port) => ({ source: input.id, target: id, targetPort: port })),
  };
  const analysis = analyze(graph);
  const problem = analysis.diagnostics.find((d) => d.severity === 'error');
  const shape = analysis.nodes.get(id)?.outputShape ?? null;
  if (problem !== undefined || shape === null) {
    throw new Refusal(problem?.message ?? `${type} "${id}" has no output shape`);
  }
  return shape;
}
