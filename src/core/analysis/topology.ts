import type { Diagnostic } from '../diagnostics.js';
import type { GraphEdge, GraphNode } from '../graph/document.js';

/** The wiring of a graph: who feeds whom, in which port, and a stable topological order. */
export interface Topology {
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** Source node of each input port of each node; `undefined` marks a gap (port 0 and 2 but no 1). */
  readonly inputs: ReadonlyMap<string, readonly (string | undefined)[]>;
  readonly consumers: ReadonlyMap<string, readonly string[]>;
  /** Nodes in dependency order; ties keep document order. Nodes on or after a cycle are left out. */
  readonly order: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The ids a graph's edges may name besides its own nodes (a block's `@input`). */
export interface TopologyOptions {
  readonly externalSources?: ReadonlySet<string>;
  readonly label?: (id: string) => string;
}

/** Indexes nodes and edges, reporting duplicate ids, dangling edges, port clashes and cycles. */
export function buildTopology(
  nodeList: readonly GraphNode[],
  edgeList: readonly GraphEdge[],
  options: TopologyOptions = {},
): Topology {
  const diagnostics: Diagnostic[] = [];
  const label = options.label ?? ((id: string) => `"${id}"`);
  const external = options.externalSources ?? new Set<string>();
  const nodes = new Map<string, GraphNode>();
  const index = new Map<string, number>();
  nodeList.forEach((node, i) => {
    if (nodes.has(node.id)) {
      diagnostics.push({
        severity: 'error',
        code: 'duplicate-id',
        node: node.id,
        message: `Two nodes are called "${node.id}"; the second (${node.type}) is ignored. Give every node its own id.`,
      });
      return;
    }
    nodes.set(node.id, node);
    index.set(node.id, i);
  });

  const explicit = new Map<string, Map<number, string>>();
  const implicit = new Map<string, string[]>();
  const consumers = new Map<string, string[]>();
  for (const id of nodes.keys()) consumers.set(id, []);
  // Ports are numbered from 0 without gaps, so a node with n incoming edges uses ports below n:
  // checking that first keeps `targetPort: 1e9` from allocating a billion-slot input list.
  const incoming = new Map<string, number>();
  for (const { target } of edgeList) incoming.set(target, (incoming.get(target) ?? 0) + 1);
  for (const edge of edgeList) {
    const { source, target } = edge;
    const missing = [source, target].filter(
      (id) => !nodes.has(id) && !(id === source && external.has(id)),
    );
    if (missing.length > 0) {
      diagnostics.push({
        severity: 'error',
        code: 'unknown-node',
        ...(nodes.has(target) && { node: target }),
        message: `An edge ${source} → ${target} names ${missing.map((m) => `"${m}"`).join(' and ')}, which is not a node of this graph. Remove the edge or add the node.`,
      });
      continue;
    }
    if (source === target) {
      diagnostics.push({
        severity: 'error',
        code: 'self-loop',
        node: target,
        message: `${label(target)} is connected to itself; a layer cannot feed its own input. Remove that edge.`,
        fix: { kind: 'remove-edge', description: 'Remove the edge', source, target },
      });
      continue;
    }
    consumers.get(source)?.push(target);
    const port = edge.targetPort;
    if (port === undefined) {
      implicit.set(target, [...(implicit.get(target) ?? []), source]);
      continue;
    }
    if (!Number.isInteger(port) || port < 0) {
      diagnostics.push({
        severity: 'error',
        code: 'invalid-value',
        node: target,
        message: `The edge ${source} → ${target} has targetPort ${String(port)}; ports are 0, 1, 2, …`,
      });
      continue;
    }
    const count = incoming.get(target) ?? 0;
    if (port >= count) {
      diagnostics.push({
        severity: 'error',
        code: 'invalid-value',
        node: target,
        message: `The edge ${source} → ${target} has targetPort ${port}, but ${label(target)} has ${count === 1 ? 'one incoming edge, so its only port is 0' : `${count} incoming edges, so its ports are 0 to ${count - 1}`}. Inputs are numbered from 0 without gaps; set targetPort below ${count}.`,
        fix: { kind: 'remove-edge', description: `Disconnect "${source}"`, source, target },
      });
      continue;
    }
    const ports = explicit.get(target) ?? new Map<number, string>();
    const taken = ports.get(port);
    if (taken !== undefined) {
      diagnostics.push({
        severity: 'error',
        code: 'duplicate-port',
        node: target,
        message: `${label(target)} input ${port} is fed by both "${taken}" and "${source}". Give each edge its own targetPort.`,
        fix: { kind: 'remove-edge', description: `Disconnect "${source}"`, source, target },
      });
      continue;
    }
    ports.set(port, source);
    explicit.set(target, ports);
  }

  // Explicit ports first; edges without a port fill the free slots in edge order.
  const inputs = new Map<string, (string | undefined)[]>();
  for (const id of nodes.keys()) {
    const slots: (string | undefined)[] = [];
    for (const [port, source] of explicit.get(id) ?? []) slots[port] = source;
    let next = 0;
    for (const source of implicit.get(id) ?? []) {
      while (slots[next] !== undefined) next++;
      slots[next] = source;
    }
    inputs.set(
      id,
      Array.from(slots, (s) => s),
    );
  }

  const order = topologicalOrder(nodes, inputs, consumers, index, external);
  if (order.length < nodes.size)
    diagnostics.push(...cycleDiagnostics(nodes, order, consumers, label));
  return { nodes, inputs, consumers, order, diagnostics };
}

/** Kahn's algorithm; among ready nodes the earliest in the document goes first. */
function topologicalOrder(
  nodes: ReadonlyMap<string, GraphNode>,
  inputs: ReadonlyMap<string, readonly (string | undefined)[]>,
  consumers: ReadonlyMap<string, readonly string[]>,
  index: ReadonlyMap<string, number>,
  external: ReadonlySet<string>,
): string[] {
  const pending = new Map<string, number>();
  const ready = new MinHeap<string>((id) => index.get(id) ?? 0);
  for (const id of nodes.keys()) {
    const count = (inputs.get(id) ?? []).filter((s) => s !== undefined && !external.has(s)).length;
    pending.set(id, count);
    if (count === 0) ready.push(id);
  }
  const order: string[] = [];
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    order.push(id);
    for (const next of consumers.get(id) ?? []) {
      const left = (pending.get(next) ?? 0) - 1;
      pending.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  return order;
}

/** One diagnostic per node on a cycle, naming the loop and offering to cut its closing edge. */
function cycleDiagnostics(
  nodes: ReadonlyMap<string, GraphNode>,
  order: readonly string[],
  consumers: ReadonlyMap<string, readonly string[]>,
  label: (id: string) => string,
): Diagnostic[] {
  const sorted = new Set(order);
  const unsorted = [...nodes.keys()].filter((id) => !sorted.has(id));
  const reported = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const start of unsorted) {
    if (reported.has(start)) continue;
    const loop = findLoop(start, consumers, sorted);
    if (loop === undefined) continue;
    const path = [...loop, loop[0]].map((id) => id).join(' → ');
    const last = loop[loop.length - 1] ?? start;
    for (const id of loop) {
      if (reported.has(id)) continue;
      reported.add(id);
      diagnostics.push({
        severity: 'error',
        code: 'cycle',
        node: id,
        message: `${label(id)} is on a cycle ${path}; a network must flow one way. Remove one of these edges.`,
        fix: {
          kind: 'remove-edge',
          description: `Remove the edge ${last} → ${loop[0]}`,
          source: last,
          target: loop[0] ?? start,
        },
      });
    }
  }
  return diagnostics;
}

/** A path start → … that returns to start, if start is on a cycle. */
function findLoop(
  start: string,
  consumers: ReadonlyMap<string, readonly string[]>,
  sorted: ReadonlySet<string>,
): string[] | undefined {
  const path: string[] = [];
  const visited = new Set<string>();
  const visit = (id: string): boolean => {
    path.push(id);
    visited.add(id);
    for (const next of consumers.get(id) ?? []) {
      if (next === start) return true;
      if (!visited.has(next) && !sorted.has(next) && visit(next)) return true;
    }
    path.pop();
    return false;
  };
  return visit(start) ? path : undefined;
}

/** A small binary heap ordered by a numeric key. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly key: (item: T) => number) {}

  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.key(a[parent] as T) <= this.key(item)) break;
      a[i] = a[parent] as T;
      i = parent;
    }
    a[i] = item;
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      const keyOf = (j: number): number => (j === i ? this.key(last) : this.key(a[j] as T));
      if (l < a.length && keyOf(l) < keyOf(smallest)) smallest = l;
      if (r < a.length && keyOf(r) < keyOf(smallest)) smallest = r;
      if (smallest === i) break;
      a[i] = a[smallest] as T;
      i = smallest;
    }
    a[i] = last;
    return top;
  }
}
