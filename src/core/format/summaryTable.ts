import type { GraphAnalysis, NodeAnalysis } from '../analysis/analyze.js';
import type { ReceptiveField } from '../analysis/receptiveField.js';
import { formatShape } from '../shape.js';
import { formatBytes, formatCount } from './numbers.js';

export interface TableOptions {
  /** Draws block rows and indents their inner layers (default true). */
  readonly nested?: boolean;
}

interface Row {
  readonly layer: string;
  readonly shape: string;
  readonly params: string;
  readonly macs: string;
  readonly rf: string;
}

/** A torchinfo-style text table of an analysis: one row per layer, then the totals. */
export function summaryTable(
  name: string,
  analysis: GraphAnalysis,
  options: TableOptions = {},
): string {
  const rows: Row[] = [];
  for (const id of analysis.order) {
    const node = analysis.nodes.get(id);
    if (node === undefined) continue;
    rows.push(row(node, ''));
    if (options.nested === false && node.children.length > 0) rows.pop();
    node.children.forEach((childId, i) => {
      const child = analysis.nodes.get(childId);
      if (child === undefined) return;
      const last = i === node.children.length - 1;
      rows.push(row(child, options.nested === false ? '' : last ? '└─ ' : '├─ '));
    });
  }
  const header: Row = {
    layer: 'Layer (type)',
    shape: 'Output shape',
    params: 'Params',
    macs: 'MACs',
    rf: 'RF',
  };
  const widths = (Object.keys(header) as (keyof Row)[]).map((k) =>
    Math.max(...[header, ...rows].map((r) => r[k].length)),
  );
  const [wl = 0, ws = 0, wp = 0, wm = 0, wr = 0] = widths;
  const render = (r: Row) =>
    `${r.layer.padEnd(wl)}  ${r.shape.padEnd(ws)}  ${r.params.padStart(wp)}  ${r.macs.padStart(wm)}  ${r.rf.padStart(wr)}`.trimEnd();
  const width = wl + ws + wp + wm + wr + 8;
  const rule = '─'.repeat(width);
  const t = analysis.totals;
  const lines = [
    name,
    rule,
    render(header),
    rule,
    ...rows.map(render),
    '═'.repeat(width),
    `Total params: ${formatCount(t.params)}`,
    `Trainable params: ${formatCount(t.trainableParams)}`,
    `Non-trainable params: ${formatCount(t.nonTrainableParams)}`,
    ...(t.buffers > 0 ? [`Buffers (BatchNorm running stats): ${formatCount(t.buffers)}`] : []),
    `Total MACs: ${formatCount(t.macs)}${t.macs >= 1e6 ? ` (${scaled(t.macs)})` : ''}`,
    rule,
    `Input size: ${formatBytes(t.inputBytes)}`,
    `Forward pass size (activations): ${formatBytes(t.activationBytes)}`,
    `Params size: ${formatBytes(t.paramBytes)}`,
    `Estimated total size: ${formatBytes(t.inputBytes + t.activationBytes + t.paramBytes)}`,
    rule,
  ];
  return lines.join('\n');
}

/** Longest id or type name printed whole; a longer one (a hostile file's 10 MB name) is cut, so
 * one name cannot widen every row of the table to its length. */
const NAME_LIMIT = 40;

function clip(name: string): string {
  return name.length <= NAME_LIMIT ? name : `${name.slice(0, NAME_LIMIT - 1)}…`;
}

function row(n: NodeAnalysis, indent: string): Row {
  const id = n.parent ? n.id.slice(n.parent.length + 1) : n.id;
  return {
    layer: `${indent}${clip(id)} (${clip(n.type)})`,
    shape: n.outputShape ? formatShape(n.outputShape) : '?',
    params: n.outputShape || n.params ? formatCount(n.params) : '—',
    macs: n.outputShape || n.macs ? formatCount(n.macs) : '—',
    rf: fieldText(n.receptiveField),
  };
}

function fieldText(f: ReceptiveField | null): string {
  if (f === null) return '—';
  return f.size[0] === f.size[1]
    ? formatCount(f.size[0])
    : `${formatCount(f.size[0])}×${formatCount(f.size[1])}`;
}

/** 15.47 G, 416.52 k: how people say MAC counts. */
export function scaled(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(2)} k`;
  return String(n);
}
