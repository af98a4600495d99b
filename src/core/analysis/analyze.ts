import { BLOCK_INPUT, type BlockDefinition } from '../blocks/BlockDefinition.js';
import { isError, type Diagnostic, type DiagnosticCode, type Fix } from '../diagnostics.js';
import type { GraphDocument, GraphEdge, GraphNode, ParamValue } from '../graph/document.js';
import type { TraceLine } from '../graph/trace.js';
import { line } from '../graph/traceLines.js';
import { formatCount } from '../format/numbers.js';
import { LayerError, type LayerContext, type LayerDefinition } from '../layers/LayerDefinition.js';
import { getDefinition, NODE_TYPES } from '../layers/registry.js';
import type { ParamSpecs } from '../params/paramSpec.js';
import { describe, resolveParams } from '../params/resolveParams.js';
import { formatShape, shapeSize, type Shape } from '../shape.js';
import { closestName } from '../text/closestName.js';
import { propagateField, UNIT_FIELD, type ReceptiveField } from './receptiveField.js';
import { inexactCount, inexactTotal } from './exactCounts.js';
import { buildTopology } from './topology.js';

const BYTES_PER_FLOAT = 4;

/** Everything the analysis knows about one node (inner nodes of blocks included). */
export interface NodeAnalysis {
  /** Full id: `conv1`, or `block1/conv1` inside a block. */
  readonly id: string;
  readonly type: string;
  /** Id of the enclosing block, or null at the top level. */
  readonly parent: string | null;
  /** The primitive node whose output this node's output is: itself, or a block's last inner node. */
  readonly outputNode: string;
  /** Ids of a block's inner nodes in order; empty for primitives. */
  readonly children: readonly string[];
  /** The params as the document wrote them (inner block nodes: as the block's expansion wrote them). */
  readonly writtenParams: Readonly<Record<string, ParamValue>>;
  /** Every param with PyTorch's default applied and normalized (`kernel_size: 5` → `[5, 5]`); null if invalid. */
  readonly resolvedParams: Readonly<Record<string, unknown>> | null;
  /** Source node of each input port, in port order (`@input` for a block's own input). */
  readonly sources: readonly string[];
  readonly inputShapes: readonly Shape[];
  /** Null when it cannot be known (this node or one upstream has an error). */
  readonly outputShape: Shape | null;
  /** All parameters (`nn.Parameter` elements), trainable or frozen. */
  readonly params: number;
  readonly trainableParams: number;
  /** Buffer elements (BatchNorm running statistics): not parameters, as in PyTorch. */
  readonly buffers: number;
  /** Multiply-accumulates of one forward pass of one sample (Conv, ConvTranspose, Linear only). */
  readonly macs: number;
  /** float32 bytes of this node's output for one sample. */
  readonly activationBytes: number;
  /** Bytes of parameters and buffers. */
  readonly paramBytes: number;
  readonly receptiveField: ReceptiveField | null;
  /** The formulas behind each number, with the numbers plugged in. */
  readonly trace: readonly TraceLine[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface Totals {
  readonly params: number;
  readonly trainableParams: number;
  readonly nonTrainableParams: number;
  readonly buffers: number;
  readonly macs: number;
  /** Sum of every layer's output (float32, one sample), as torchinfo's forward pass size. */
  readonly activationBytes: number;
  readonly paramBytes: number;
  readonly inputBytes: number;
}

export interface EdgeAnalysis {
  readonly source: string;
  readonly target: string;
  readonly targetPort: number;
  /** The tensor that flows along the edge (the source's output). */
  readonly shape: Shape | null;
}

export interface GraphAnalysis {
  /** Every node, top-level and inner, by full id. */
  readonly nodes: ReadonlyMap<string, NodeAnalysis>;
  /** Top-level node ids in dependency order (nodes on cycles last). */
  readonly order: readonly string[];
  /** Every primitive layer in dependency order, blocks expanded: the rows of a summary. */
  readonly layers: readonly NodeAnalysis[];
  readonly edges: readonly EdgeAnalysis[];
  readonly totals: Totals;
  /** All diagnostics, graph-level ones included. */
  readonly diagnostics: readonly Diagnostic[];
  readonly hasErrors: boolean;
  /** Top-level nodes nothing consumes: the network's outputs. */
  readonly outputs: readonly string[];
}

interface Produced {
  readonly shape: Shape | null;
  readonly field: ReceptiveField | null;
}

interface State {
  readonly nodes: Map<string, NodeAnalysis>;
  readonly layers: NodeAnalysis[];
  readonly diagnostics: Diagnostic[];
  readonly produced: Map<string, Produced>;
}

interface Scope {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** `''` at the top level, `block1/` inside a block. */
  readonly prefix: string;
  readonly parent: string | null;
  /** Outputs available to the scope besides its own nodes (a block's `@input`). */
  readonly seeds: ReadonlyMap<string, Produced>;
  /** The real node behind each seed (a block's `@input` is its own input's source). */
  readonly seedSources: ReadonlyMap<string, string>;
}

/**
 * Analyzes a graph document: per-node output shapes, parameters, MACs, memory, receptive fields,
 * formula traces and diagnostics, plus totals. Pure and synchronous; never throws.
 */
export function analyze(graph: GraphDocument): GraphAnalysis {
  const state: State = { nodes: new Map(), layers: [], diagnostics: [], produced: new Map() };
  const nodes = Array.isArray(graph.nodes) ? graph.nodes : [];
  const edges = Array.isArray(graph.edges) ? graph.edges : [];
  const { order, consumers } = analyzeScope(
    { nodes, edges, prefix: '', parent: null, seeds: new Map(), seedSources: new Map() },
    state,
  );

  if (nodes.length > 0 && !nodes.some((n) => n.type === 'Input')) {
    state.diagnostics.push({
      severity: 'error',
      code: 'no-input-node',
      message:
        'The graph has no Input node. Add one from the palette (e.g. 1×28×28 for digits) and connect it to the first layer.',
    });
  }
  const inexactTotals = inexactTotal(state.layers);
  if (inexactTotals !== undefined) attach(state, inexactTotals);
  const totals = sumTotals(state.layers);
  return {
    nodes: state.nodes,
    order,
    layers: state.layers,
    edges: edges.map((e) => ({
      source: e.source,
      target: e.target,
      targetPort: e.targetPort ?? 0,
      shape: state.produced.get(e.source)?.shape ?? null,
    })),
    totals,
    diagnostics: state.diagnostics,
    hasErrors: state.diagnostics.some(isError),
    outputs: order.filter(
      (id) => (consumers.get(id) ?? []).length === 0 && state.nodes.get(id)?.type !== 'Input',
    ),
  };
}

function analyzeScope(
  scope: Scope,
  state: State,
): { order: string[]; consumers: ReadonlyMap<string, readonly string[]> } {
  const full = (id: string) => scope.prefix + id;
  const typeOf = new Map(scope.nodes.map((n) => [n.id, n.type]));
  const topology = buildTopology(scope.nodes, scope.edges, {
    externalSources: new Set(scope.seeds.keys()),
    label: (id) => `${String(typeOf.get(id))} "${full(id)}"`,
  });
  state.diagnostics.push(...topology.diagnostics.map((d) => withFullId(d, full)));
  const onCycle = new Set(
    topology.diagnostics.filter((d) => d.code === 'cycle').map((d) => d.node),
  );

  const sorted = new Set(topology.order);
  const order = [...topology.order, ...[...topology.nodes.keys()].filter((id) => !sorted.has(id))];
  for (const id of order) {
    const node = topology.nodes.get(id);
    if (node === undefined) continue;
    const sources = topology.inputs.get(id) ?? [];
    const consumerCount = topology.consumers.get(id)?.length ?? 0;
    const inputs = sources.map((s) =>
      s === undefined ? undefined : (scope.seeds.get(s) ?? state.produced.get(full(s))),
    );
    const result = analyzeNode(node, {
      fullId: full(id),
      parent: scope.parent,
      sources: sources.map((s) =>
        s === undefined ? undefined : (scope.seedSources.get(s) ?? full(s)),
      ),
      inputs,
      consumerCount,
      blocked: !sorted.has(id) || onCycle.has(id),
      state,
    });
    state.produced.set(full(id), result);
  }
  return { order: order.map(full), consumers: topology.consumers };
}

interface NodeInputs {
  readonly fullId: string;
  readonly parent: string | null;
  readonly sources: readonly (string | undefined)[];
  readonly inputs: readonly (Produced | undefined)[];
  readonly consumerCount: number;
  /** On or after a cycle: no shapes can flow here. */
  readonly blocked: boolean;
  readonly state: State;
}

/** Analyzes one node and records it; returns what flows out of it. */
function analyzeNode(node: GraphNode, ctx: NodeInputs): Produced {
  const { fullId, state } = ctx;
  const type = typeof node.type === 'string' ? node.type : String(node.type);
  const title = `${type} "${fullId}"`;
  const diagnostics: Diagnostic[] = [];
  const report = (
    code: DiagnosticCode,
    message: string,
    severity: Diagnostic['severity'] = 'error',
    fix?: Fix,
  ) => diagnostics.push({ severity, code, node: fullId, message, ...(fix && { fix }) });
  const inputShapes = ctx.inputs.flatMap((p) => (p?.shape ? [p.shape] : []));
  const sources = ctx.sources.filter((s): s is string => s !== undefined);
  const writtenParams = isRecord(node.params) ? node.params : {};
  let resolvedParams: Readonly<Record<string, unknown>> | null = null;
  const base = () => ({
    id: fullId,
    type,
    parent: ctx.parent,
    writtenParams,
    resolvedParams,
    sources,
    inputShapes,
  });
  const finish = (
    partial: Partial<NodeAnalysis> & { outputShape: Shape | null },
    field: ReceptiveField | null = null,
  ): Produced => {
    const analysis = record(state, nodeAnalysis(base(), partial, field, diagnostics));
    if (analysis.children.length === 0 && getDefinition(type)?.kind !== 'block')
      state.layers.push(analysis);
    return { shape: partial.outputShape, field };
  };

  const definition = getDefinition(type);
  if (definition === undefined) {
    const guess = closestName(type, NODE_TYPES);
    report(
      'unknown-type',
      `Node "${fullId}" has unknown type ${describe(type)}` +
        (guess ? ` — did you mean "${guess}"?` : `. Known types: ${NODE_TYPES.join(', ')}.`),
    );
    return finish({ outputShape: null });
  }
  const resolved = resolveParams(
    definition.params,
    node.params,
    fullId,
    title,
    definitionInferred(definition),
  );
  diagnostics.push(...resolved.diagnostics);
  resolvedParams = resolved.values;
  if (ctx.blocked) return finish({ outputShape: null });

  const connected = ctx.sources.filter((s) => s !== undefined).length;
  const { min, max } = definition.inputs;
  if (connected === 0 && ctx.consumerCount === 0 && min > 0) {
    report(
      'disconnected',
      `${title} is not connected to anything. Connect it or delete it.`,
      'warning',
    );
    return finish({ outputShape: null });
  }
  if (definition.type === 'Input' && ctx.consumerCount === 0 && ctx.parent === null) {
    report('disconnected', `${title} feeds nothing. Connect it to the first layer.`, 'warning');
  }
  const gap = ctx.sources.findIndex((s) => s === undefined);
  if (gap !== -1) {
    report(
      'missing-input',
      `${title}: input ${gap} is not connected; inputs are numbered from 0 without gaps.`,
    );
  } else if (connected < min) {
    report(
      'missing-input',
      min === 1
        ? `${title} has no input. Connect the output of a previous layer to it.`
        : `${title} needs at least ${min} inputs but has ${connected}. Connect another branch to it.`,
    );
  } else if (connected > max) {
    report(
      'too-many-inputs',
      max === 0
        ? `${title} is a network input and cannot have incoming edges. Remove them.`
        : `${title} takes ${max} input${max === 1 ? '' : 's'} but ${connected} are connected. Join branches with Add or Concat first.`,
    );
  }
  if (diagnostics.some(isError) || resolved.values === null) return finish({ outputShape: null });
  if (ctx.inputs.some((p) => p?.shape == null)) return finish({ outputShape: null }); // upstream problem

  const shapes = ctx.inputs.map((p) => p?.shape ?? []);
  const fields = ctx.inputs.map((p) => p?.field ?? null);
  const inferredError = checkInferred(definition, node, shapes[0] ?? [], fullId, title);
  if (inferredError !== undefined) {
    report('invalid-param', inferredError.message, 'error', inferredError.fix);
    return finish({ outputShape: null });
  }

  if (definition.kind === 'block') {
    return analyzeBlock(
      definition,
      resolved.values,
      node,
      ctx,
      shapes[0] ?? [],
      ctx.inputs[0],
      finish,
    );
  }

  const layerCtx: LayerContext<Readonly<Record<string, unknown>>> = {
    node: fullId,
    title,
    params: resolved.values,
    inputs: shapes,
    input: shapes[0] ?? [],
    sources: ctx.sources.map((s) => s ?? ''),
    warn: (code, message, fix) => report(code, message, 'warning', fix),
  };
  const layer = definition as unknown as LayerDefinition<ParamSpecs> & {
    shape: (c: typeof layerCtx) => ReturnType<LayerDefinition['shape']>;
  };
  try {
    const out = layer.shape(layerCtx);
    const bad = out.shape.find((d) => !Number.isInteger(d) || d <= 0);
    if (bad !== undefined) {
      report(
        'non-positive-output',
        `${title} would output ${formatShape(out.shape)}: every dimension must be a positive integer. ` +
          'The input is too small for these settings; reduce kernel_size, stride or padding, or remove a downsampling layer before it.',
      );
      return finish({ outputShape: null, trace: out.trace });
    }
    const counted = layer.paramCount(layerCtx, out.shape);
    const macs = layer.macs(layerCtx, out.shape);
    const rule = layer.receptiveField(layerCtx, out.shape);
    const inputField =
      definition.type === 'Input' && out.shape.length === 3 ? [UNIT_FIELD] : fields;
    const rf =
      out.shape.length === 3 ? propagateField(rule, inputField) : { field: null, trace: [] };
    const field = rf.field;
    const inexact = inexactCount(title, [
      [`the elements of its output ${formatShape(out.shape)}`, shapeSize(out.shape)],
      ['its parameters', counted.weights],
      ['its buffers', counted.buffers],
      ['its MACs', macs.macs],
      ...(field === null
        ? []
        : [
            ['its receptive field', Math.max(...field.size)] as const,
            ['its effective stride', Math.max(...field.jump)] as const,
            ['the start of its receptive field', Math.max(...field.start.map(Math.abs))] as const,
          ]),
    ]);
    if (inexact !== undefined) {
      report('too-large', inexact);
      return finish({ outputShape: null, trace: out.trace });
    }
    const trainable = node.trainable === false ? 0 : counted.weights;
    return finish(
      {
        outputShape: out.shape,
        params: counted.weights,
        trainableParams: trainable,
        buffers: counted.buffers,
        macs: macs.macs,
        activationBytes: shapeSize(out.shape) * BYTES_PER_FLOAT,
        paramBytes: counted.weights * BYTES_PER_FLOAT + counted.bufferBytes,
        trace: [...out.trace, ...counted.trace, ...macs.trace, ...rf.trace],
      },
      rf.field,
    );
  } catch (error) {
    if (error instanceof LayerError) {
      report(error.code, error.message, 'error', error.fix);
    } else {
      report(
        'invalid-value',
        `${title} could not be analyzed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return finish({ outputShape: null });
  }
}

function analyzeBlock(
  definition: BlockDefinition<ParamSpecs>,
  values: Readonly<Record<string, unknown>>,
  node: GraphNode,
  ctx: NodeInputs,
  input: Shape,
  inputProduced: Produced | undefined,
  finish: (
    partial: Partial<NodeAnalysis> & { outputShape: Shape | null },
    field?: ReceptiveField | null,
  ) => Produced,
): Produced {
  const { state, fullId } = ctx;
  const expansion = definition.expand(values as never, input);
  const frozen = node.trainable === false;
  const innerNodes = frozen
    ? expansion.nodes.map((n) => ({ ...n, trainable: false }))
    : expansion.nodes;
  const before = state.layers.length;
  const seeds = new Map([[BLOCK_INPUT, inputProduced ?? { shape: input, field: null }]]);
  const seedSources = new Map(ctx.sources[0] === undefined ? [] : [[BLOCK_INPUT, ctx.sources[0]]]);
  const inner = analyzeScope(
    {
      nodes: innerNodes,
      edges: expansion.edges,
      prefix: `${fullId}/`,
      parent: fullId,
      seeds,
      seedSources,
    },
    state,
  );
  const children = state.layers.slice(before);
  const out = state.produced.get(`${fullId}/${expansion.output}`) ?? { shape: null, field: null };
  const sum = (f: (n: NodeAnalysis) => number) => children.reduce((acc, n) => acc + f(n), 0);
  const weighted = children.filter((c) => c.params > 0);
  const trace: TraceLine[] = [];
  if (out.shape)
    trace.push(line('shape', 'shape', `output of ${expansion.output}`, formatShape(out.shape)));
  trace.push(
    line(
      'params',
      'params',
      weighted.map((c) => formatCount(c.params)).join(' + '),
      sum((c) => c.params),
    ),
  );
  trace.push(
    line(
      'macs',
      'MACs',
      weighted
        .filter((c) => c.macs > 0)
        .map((c) => formatCount(c.macs))
        .join(' + '),
      sum((c) => c.macs),
    ),
  );
  if (out.field) {
    const f = out.field;
    trace.push(
      line(
        'rf',
        'RF',
        `field of ${expansion.output}`,
        f.size[0] === f.size[1] ? f.size[0] : `${f.size[0]}×${f.size[1]}`,
      ),
    );
  }
  return finish(
    {
      outputShape: out.shape,
      outputNode: state.nodes.get(`${fullId}/${expansion.output}`)?.outputNode ?? fullId,
      children: inner.order,
      params: sum((c) => c.params),
      trainableParams: sum((c) => c.trainableParams),
      buffers: sum((c) => c.buffers),
      macs: sum((c) => c.macs),
      activationBytes: sum((c) => c.activationBytes),
      paramBytes: sum((c) => c.paramBytes),
      trace,
    },
    out.field,
  );
}

function definitionInferred(definition: ReturnType<typeof getDefinition>): readonly string[] {
  return definition?.kind === 'layer' && definition.inferred ? [definition.inferred.name] : [];
}

/** A file may state in_channels / in_features / num_features; they must match the input. */
function checkInferred(
  definition: NonNullable<ReturnType<typeof getDefinition>>,
  node: GraphNode,
  input: Shape,
  fullId: string,
  title: string,
): { message: string; fix: Fix } | undefined {
  if (definition.kind !== 'layer' || definition.inferred === undefined) return undefined;
  const { name, from } = definition.inferred;
  const stated = node.params?.[name];
  if (stated === undefined) return undefined;
  const actual = from(input);
  if (actual === undefined || stated === actual) return undefined;
  return {
    message: `${title}: ${name} is ${describe(stated)} in the file, but the incoming tensor ${formatShape(input)} gives ${actual}. Remove "${name}" (it is inferred) or fix the layer before it.`,
    fix: {
      kind: 'set-param',
      description: `Set ${name} to ${actual}`,
      node: fullId,
      param: name,
      value: actual,
    },
  };
}

/** Builds a NodeAnalysis with one fixed property order (fast to create, one hidden class). */
function nodeAnalysis(
  base: Pick<
    NodeAnalysis,
    'id' | 'type' | 'parent' | 'writtenParams' | 'resolvedParams' | 'sources' | 'inputShapes'
  >,
  p: Partial<NodeAnalysis> & { outputShape: Shape | null },
  receptiveField: ReceptiveField | null,
  diagnostics: readonly Diagnostic[],
): NodeAnalysis {
  return {
    id: base.id,
    type: base.type,
    parent: base.parent,
    writtenParams: base.writtenParams,
    resolvedParams: base.resolvedParams,
    outputNode: p.outputNode ?? base.id,
    children: p.children ?? [],
    sources: base.sources,
    inputShapes: base.inputShapes,
    outputShape: p.outputShape,
    params: p.params ?? 0,
    trainableParams: p.trainableParams ?? 0,
    buffers: p.buffers ?? 0,
    macs: p.macs ?? 0,
    activationBytes: p.activationBytes ?? 0,
    paramBytes: p.paramBytes ?? 0,
    receptiveField,
    trace: p.trace ?? [],
    diagnostics,
  };
}

function isRecord(v: unknown): v is Readonly<Record<string, ParamValue>> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function record(state: State, analysis: NodeAnalysis): NodeAnalysis {
  state.nodes.set(analysis.id, analysis);
  state.diagnostics.push(...analysis.diagnostics);
  return analysis;
}

/** Adds a diagnostic found after a node was analyzed to that node, as the editor shows it there. */
function attach(state: State, d: Diagnostic): void {
  state.diagnostics.push(d);
  const node = d.node === undefined ? undefined : state.nodes.get(d.node);
  if (node === undefined) return;
  const updated = { ...node, diagnostics: [...node.diagnostics, d] };
  state.nodes.set(node.id, updated);
  const i = state.layers.indexOf(node);
  if (i !== -1) state.layers[i] = updated;
}

function withFullId(d: Diagnostic, full: (id: string) => string): Diagnostic {
  return d.node === undefined ? d : { ...d, node: full(d.node) };
}

function sumTotals(layers: readonly NodeAnalysis[]): Totals {
  let params = 0;
  let trainable = 0;
  let buffers = 0;
  let macs = 0;
  let activationBytes = 0;
  let paramBytes = 0;
  let inputBytes = 0;
  for (const l of layers) {
    params += l.params;
    trainable += l.trainableParams;
    buffers += l.buffers;
    macs += l.macs;
    paramBytes += l.paramBytes;
    if (l.type === 'Input') inputBytes += l.activationBytes;
    else activationBytes += l.activationBytes;
  }
  return {
    params,
    trainableParams: trainable,
    nonTrainableParams: params - trainable,
    buffers,
    macs,
    activationBytes,
    paramBytes,
    inputBytes,
  };
}
