import type { Fix } from '../diagnostics.js';
import { getDefinition } from '../layers/registry.js';
import type { Shape } from '../shape.js';
import type { GraphDocument, GraphEdge, GraphNode, ParamValue } from './document.js';

// Pure document transforms: each takes a graph and returns a new one (the input is never
// mutated), so the editor's undo history is just a list of documents.

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

/** An editor position, stored in `node.ui` (the analysis ignores it). */
export interface Position {
  readonly x: number;
  readonly y: number;
}

/** The node's stored position, or undefined when the file has none (templates, hand-written files). */
export function nodePosition(node: GraphNode): Position | undefined {
  const ui = node.ui as { x?: unknown; y?: unknown } | undefined;
  return ui !== null &&
    typeof ui === 'object' &&
    typeof ui.x === 'number' &&
    typeof ui.y === 'number'
    ? { x: ui.x, y: ui.y }
    : undefined;
}

function withPosition(node: GraphNode, p: Position): GraphNode {
  const ui = node.ui !== null && typeof node.ui === 'object' ? node.ui : {};
  return { ...node, ui: { ...ui, x: Math.round(p.x), y: Math.round(p.y) } };
}

/** A fresh id for a node of this type: `conv1`, `conv2`, … (`input` for the first Input). */
export function uniqueId(graph: GraphDocument, type: string, taken?: ReadonlySet<string>): string {
  const used = taken ?? new Set(graph.nodes.map((n) => n.id));
  // Short, PyTorch-flavoured stems (the definition's idStem): conv1, pool2, fc3 read like the
  // attribute names of an nn.Module.
  const stem =
    getDefinition(type)?.idStem ?? (type.toLowerCase().replace(/[^a-z0-9]/g, '') || 'node');
  if (type === 'Input' && !used.has('input')) return 'input';
  for (let i = 1; ; i++) if (!used.has(`${stem}${i}`)) return `${stem}${i}`;
}

/** The params a new node of this type starts with: its required ones filled in. */
export function starterParams(type: string): Record<string, ParamValue> {
  // Required parameters get a value a beginner would pick (the definition's starter), so a
  // dropped node is valid at once.
  const preset = getDefinition(type)?.starter;
  if (preset) return { ...preset };
  const out: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(getDefinition(type)?.params ?? {})) {
    if (spec.default === undefined) out[name] = spec.min ?? 1;
  }
  return out;
}

/** Adds a node of `type` at `position`; returns the new graph and the new node's id. */
export function addNode(
  graph: GraphDocument,
  type: string,
  position: Position,
  params: Readonly<Record<string, ParamValue>> = starterParams(type),
): { graph: GraphDocument; id: string } {
  const id = uniqueId(graph, type);
  const node = withPosition(
    { id, type, ...(Object.keys(params).length > 0 && { params }) },
    position,
  );
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id };
}

/** Removes the nodes and every edge touching them. */
export function removeNodes(graph: GraphDocument, ids: Iterable<string>): GraphDocument {
  const gone = new Set(ids);
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !gone.has(n.id)),
    edges: graph.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
  };
}

/** Removes edges given as `source→target` keys (see {@link edgeKey}). */
export function removeEdges(graph: GraphDocument, keys: Iterable<string>): GraphDocument {
  const gone = new Set(keys);
  return { ...graph, edges: graph.edges.filter((e, i) => !gone.has(edgeKey(e, i))) };
}

/** A stable key for an edge: `source->target#index` (index disambiguates parallel edges). */
export function edgeKey(edge: GraphEdge, index: number): string {
  return `${edge.source}->${edge.target}#${index}`;
}

/** Sets a parameter; `undefined` removes it so the layer's default applies. */
export function setParam(
  graph: GraphDocument,
  id: string,
  name: string,
  value: ParamValue | undefined,
): GraphDocument {
  return mapNode(graph, id, (n) => {
    const params: Record<string, ParamValue> = { ...n.params };
    if (value === undefined) delete params[name];
    else params[name] = value;
    const { params: _old, ...rest } = n;
    return Object.keys(params).length > 0 ? { ...rest, params } : rest;
  });
}

/** Moves nodes to new positions. */
export function moveNodes(
  graph: GraphDocument,
  positions: ReadonlyMap<string, Position>,
): GraphDocument {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const p = positions.get(n.id);
      return p === undefined ? n : withPosition(n, p);
    }),
  };
}

/** Renames a node and the edges that name it; refuses ids that are empty or taken. */
export function renameNode(
  graph: GraphDocument,
  id: string,
  next: string,
): { ok: true; graph: GraphDocument } | { ok: false; reason: string } {
  const name = next.trim();
  if (name === id) return { ok: true, graph };
  if (name === '') return { ok: false, reason: 'A node needs a name.' };
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name))
    return {
      ok: false,
      reason: `"${name}": use letters, digits, _ . - (not starting with a digit).`,
    };
  if (graph.nodes.some((n) => n.id === name))
    return { ok: false, reason: `"${name}" is already the name of another node.` };
  const rename = (s: string) => (s === id ? name : s);
  return {
    ok: true,
    graph: {
      ...graph,
      nodes: graph.nodes.map((n) => (n.id === id ? { ...n, id: name } : n)),
      edges: graph.edges.map((e) =>
        e.source === id || e.target === id
          ? { ...e, source: rename(e.source), target: rename(e.target) }
          : e,
      ),
    },
  };
}

/** Why a connection is refused: a stable code beside the message, for short labels. */
export type RefusalCode =
  'not-in-graph' | 'self-loop' | 'duplicate' | 'network-input' | 'cycle' | 'full';

export interface ConnectRefusal {
  readonly code: RefusalCode;
  readonly message: string;
}

export type ConnectOutcome =
  | { readonly ok: true; readonly graph: GraphDocument }
  | { readonly ok: false; readonly reason: string; readonly code: RefusalCode };

/**
 * Why `source → target` cannot be connected (a cycle, a full input, a self-loop, a duplicate),
 * or undefined when it can. The editor shows the reason instead of making a broken graph.
 */
export function connectionProblem(
  graph: GraphDocument,
  source: string,
  target: string,
): string | undefined {
  return connectionRefusal(graph, source, target)?.message;
}

/** {@link connectionProblem} with its code. */
export function connectionRefusal(
  graph: GraphDocument,
  source: string,
  target: string,
): ConnectRefusal | undefined {
  const title = (id: string) => {
    const node = graph.nodes.find((n) => n.id === id);
    return node ? `${node.type} "${id}"` : `"${id}"`;
  };
  const refuse = (code: RefusalCode, message: string): ConnectRefusal => ({ code, message });
  if (!graph.nodes.some((n) => n.id === source) || !graph.nodes.some((n) => n.id === target))
    return refuse('not-in-graph', 'Both ends of a connection must be nodes of this graph.');
  if (source === target) return refuse('self-loop', `${title(target)} cannot feed its own input.`);
  if (graph.edges.some((e) => e.source === source && e.target === target))
    return refuse('duplicate', `${title(source)} is already connected to ${title(target)}.`);
  const type = graph.nodes.find((n) => n.id === target)?.type ?? '';
  const max = getDefinition(type)?.inputs.max ?? Infinity;
  const incoming = graph.edges.filter((e) => e.target === target).length;
  if (max === 0)
    return refuse(
      'network-input',
      `${title(target)} is a network input; it takes no incoming connection.`,
    );
  // A cycle is the more fundamental mistake, so it is named even when the input is also full.
  if (reaches(graph, target, source))
    return refuse(
      'cycle',
      `Connecting ${title(source)} → ${title(target)} would make a cycle: ${title(target)} already feeds ${title(source)}.`,
    );
  if (incoming >= max)
    return refuse(
      'full',
      `${title(target)} takes ${max === 1 ? 'one input' : `${max} inputs`} and already has ${incoming === 1 ? 'one' : incoming}. Join branches with Add or Concat first.`,
    );
  return undefined;
}

/** Connects source → target, or says why not. */
export function connect(graph: GraphDocument, source: string, target: string): ConnectOutcome {
  const refusal = connectionRefusal(graph, source, target);
  if (refusal !== undefined) return { ok: false, reason: refusal.message, code: refusal.code };
  const incoming = graph.edges.filter((e) => e.target === target);
  // Ports stay implicit (filled in edge order) unless the file already numbers this node's ports.
  const explicit = incoming.filter((e) => e.targetPort !== undefined).map((e) => e.targetPort);
  let edge: GraphEdge = { source, target };
  if (explicit.length > 0) {
    let port = 0;
    while (explicit.includes(port)) port++;
    edge = { ...edge, targetPort: port };
  }
  return { ok: true, graph: { ...graph, edges: [...graph.edges, edge] } };
}

/** True when `to` can be reached from `from` along edges. */
function reaches(graph: GraphDocument, from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  return false;
}

/** Applies a diagnostic's one-click fix; a fix naming nodes that no longer exist changes nothing. */
export function applyFix(graph: GraphDocument, fix: Fix): GraphDocument {
  switch (fix.kind) {
    case 'set-param':
      return graph.nodes.some((n) => n.id === fix.node)
        ? setParam(graph, fix.node, fix.param, fix.value)
        : graph;
    case 'remove-edge':
      return {
        ...graph,
        edges: graph.edges.filter((e) => !(e.source === fix.source && e.target === fix.target)),
      };
    case 'insert-node': {
      const candidates = graph.edges
        .map((e, i) => ({ e, i }))
        .filter(({ e }) => e.source === fix.source && e.target === fix.target);
      const hit =
        candidates.find(({ e }) => e.targetPort === fix.targetPort) ??
        candidates[candidates.length > 1 ? Math.min(fix.targetPort, candidates.length - 1) : 0];
      if (hit === undefined) return graph;
      const byId = new Map(graph.nodes.map((n) => [n.id, n]));
      const a = nodePosition(byId.get(fix.source) ?? { id: '', type: '' });
      const b = nodePosition(byId.get(fix.target) ?? { id: '', type: '' });
      const at = a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : (a ?? b ?? { x: 0, y: 0 });
      return spliceEdge(graph, hit.i, fix.nodeType, at, fix.params).graph;
    }
  }
}

/**
 * Splices a new node of `type` into the edge at `index`: A→B becomes A→new→B, the new edge into B
 * keeping B's input port. The graph comes back unchanged (id null) when there is no such edge.
 */
export function spliceEdge(
  graph: GraphDocument,
  index: number,
  type: string,
  at: Position,
  params: Readonly<Record<string, ParamValue>> = starterParams(type),
): { graph: GraphDocument; id: string | null } {
  const edge = Number.isInteger(index) ? graph.edges[index] : undefined;
  if (edge === undefined) return { graph, id: null };
  const added = addNode(graph, type, at, params);
  const edges = [...graph.edges];
  edges.splice(index, 1, { source: edge.source, target: added.id }, { ...edge, source: added.id });
  return { graph: { ...added.graph, edges }, id: added.id };
}

function mapNode(graph: GraphDocument, id: string, f: (n: GraphNode) => GraphNode): GraphDocument {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? f(n) : n)) };
}
