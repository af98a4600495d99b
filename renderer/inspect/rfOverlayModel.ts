import type { GraphAnalysis, NodeAnalysis } from '../../src/core/analysis/analyze';
import { fieldBox, type FieldBox, type PixelBox } from '../../src/core/analysis/fieldBox';
import type { ReceptiveField } from '../../src/core/analysis/receptiveField';
import { formatCount } from '../../src/core/format/numbers';
import type { Pair } from '../../src/core/shape';

/**
 * The data behind the receptive-field overlay: which output grid the user picks from, which
 * input the field is drawn on, and — for one picked position — the input pixels that unit sees.
 * Every number comes from the analysis (`receptiveField`) through `fieldBox`; nothing here
 * re-derives layer arithmetic.
 */

/** One incoming branch of a merge (Add, Concat, a residual block's join) and its own field. */
export interface BranchField {
  /** Full id of the branch's last node, e.g. `layer1_0/bn2` or `maxpool`. */
  readonly source: string;
  readonly size: Pair | null;
  /** True for the branch whose field the merge took (the largest). */
  readonly drawn: boolean;
}

export interface RfOverlayModel {
  readonly node: string;
  readonly field: ReceptiveField;
  /** H×W of the node's output: the grid the user picks a unit from. */
  readonly output: { readonly rows: number; readonly cols: number };
  /** The Input the field is measured on. */
  readonly input: { readonly id: string; readonly rows: number; readonly cols: number };
  /** The input-pixel window to draw: the image plus every field of this node (padding included). */
  readonly view: PixelBox;
  /** The branches joined at this node (or inside this block), when there are several. */
  readonly branches: readonly BranchField[];
  /** Plain sentences on what is drawn, for merges, blocks and several inputs. */
  readonly notes: readonly string[];
}

export type RfOverlayOutcome =
  | { readonly ok: true; readonly model: RfOverlayModel }
  | { readonly ok: false; readonly reason: string };

/** One picked output unit and the input pixels it sees. */
export interface RfPosition {
  readonly row: number;
  readonly col: number;
  readonly box: FieldBox;
  /** Rows/columns of the field that lie outside the image (the padding), per side. */
  readonly outside: {
    readonly top: number;
    readonly left: number;
    readonly bottom: number;
    readonly right: number;
  };
}

const MERGE_TYPES = new Set(['Add', 'Concat']);

/** The overlay's model for `nodeId`, or the reason there is nothing to draw. */
export function rfOverlayModel(analysis: GraphAnalysis, nodeId: string): RfOverlayOutcome {
  const node = analysis.nodes.get(nodeId);
  if (node === undefined) return { ok: false, reason: `No analysis for "${nodeId}".` };
  const inputs = analysis.layers.filter((l) => l.type === 'Input' && l.parent === null);
  const input = inputs[0];
  const [, inRows, inCols] = input?.outputShape ?? [];
  if (input === undefined || inRows === undefined || inCols === undefined)
    return {
      ok: false,
      reason: 'The receptive field is measured on an image Input (C×H×W); this graph has none.',
    };
  if (node.outputShape === null)
    return { ok: false, reason: 'No receptive field until the problems above are fixed.' };
  const field = node.receptiveField;
  const [, rows, cols] = node.outputShape;
  if (field === null || rows === undefined || cols === undefined)
    return {
      ok: false,
      reason: `${node.type} "${nodeId}" outputs ${node.outputShape.join('×')}, not a feature map: each of its units depends on the whole input, so there is no window to draw.`,
    };
  const corners = [
    fieldBox(analysis, nodeId, 0, 0),
    fieldBox(analysis, nodeId, rows - 1, cols - 1),
  ];
  const view = corners.reduce<PixelBox>(
    (v, b) =>
      b === null
        ? v
        : {
            top: Math.min(v.top, b.field.top),
            left: Math.min(v.left, b.field.left),
            bottom: Math.max(v.bottom, b.field.bottom),
            right: Math.max(v.right, b.field.right),
          },
    { top: 0, left: 0, bottom: inRows - 1, right: inCols - 1 },
  );
  const branches = branchFields(analysis, node);
  return {
    ok: true,
    model: {
      node: nodeId,
      field,
      output: { rows, cols },
      input: { id: input.id, rows: inRows, cols: inCols },
      view,
      branches,
      notes: notes(analysis, node, branches, inputs),
    },
  };
}

/** The field of output unit (row, col), clamped into the output grid. */
export function rfAt(
  analysis: GraphAnalysis,
  model: RfOverlayModel,
  row: number,
  col: number,
): RfPosition | null {
  const r = clamp(Math.round(row), 0, model.output.rows - 1);
  const c = clamp(Math.round(col), 0, model.output.cols - 1);
  const box = fieldBox(analysis, model.node, r, c);
  if (box === null) return null;
  const { field: f } = box;
  return {
    row: r,
    col: c,
    box,
    outside: {
      top: Math.max(0, -f.top),
      left: Math.max(0, -f.left),
      bottom: Math.max(0, f.bottom - (model.input.rows - 1)),
      right: Math.max(0, f.right - (model.input.cols - 1)),
    },
  };
}

/** The centre unit: where the overlay starts before the user picks one. */
export function centreUnit(model: RfOverlayModel): { row: number; col: number } {
  return {
    row: Math.floor((model.output.rows - 1) / 2),
    col: Math.floor((model.output.cols - 1) / 2),
  };
}

/** The output cell under a pointer at fractions (fx, fy) of the grid's width and height. */
export function cellAt(
  model: RfOverlayModel,
  fx: number,
  fy: number,
): { row: number; col: number } {
  return {
    row: clamp(Math.floor(fy * model.output.rows), 0, model.output.rows - 1),
    col: clamp(Math.floor(fx * model.output.cols), 0, model.output.cols - 1),
  };
}

/** `14`, or `14×10` when the axes differ; fractional starts keep their half pixel. */
export function pairText(p: Pair): string {
  return p[0] === p[1] ? formatCount(p[0]) : `${formatCount(p[0])}×${formatCount(p[1])}`;
}

/** `rows −2…11, cols −2…11` (inclusive input pixels). */
export function boxText(b: PixelBox): string {
  return `rows ${span(b.top, b.bottom)}, cols ${span(b.left, b.right)}`;
}

const span = (a: number, b: number) => `${minus(a)}…${minus(b)}`;
const minus = (n: number) => (n < 0 ? `−${formatCount(-n)}` : formatCount(n));
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** The merge this node is (Add/Concat) or contains (a block's join), with its inputs' fields. */
function branchFields(analysis: GraphAnalysis, node: NodeAnalysis): BranchField[] {
  const merge = MERGE_TYPES.has(node.type)
    ? node
    : node.children
        .map((id) => analysis.nodes.get(id))
        .find((n): n is NodeAnalysis => n !== undefined && MERGE_TYPES.has(n.type));
  if (merge === undefined || merge.sources.length < 2) return [];
  const fields = merge.sources.map((source) => ({
    source,
    size: analysis.nodes.get(source)?.receptiveField?.size ?? null,
  }));
  const largest = fields.reduce<(typeof fields)[number] | undefined>(
    (best, f) =>
      f.size !== null && (best?.size == null || f.size[0] * f.size[1] > best.size[0] * best.size[1])
        ? f
        : best,
    undefined,
  );
  return fields.map((f) => ({ ...f, drawn: f === largest }));
}

function notes(
  analysis: GraphAnalysis,
  node: NodeAnalysis,
  branches: readonly BranchField[],
  inputs: readonly NodeAnalysis[],
): string[] {
  const out: string[] = [];
  if (node.children.length > 0) {
    const last = analysis.nodes.get(node.outputNode);
    out.push(
      `A ${node.type} is drawn by the field of its output (${last?.id ?? node.outputNode}), which includes both of its branches.`,
    );
  }
  if (branches.length > 0) {
    const sizes = branches.map((b) => (b.size ? pairText(b.size) : '?')).join(', ');
    out.push(
      `Its ${branches.length} branches are joined: a unit sees everything any branch sees, so the drawn field is the largest, max(${sizes}) = ${pairText(node.receptiveField?.size ?? [0, 0])}.`,
    );
  }
  if (inputs.length > 1)
    out.push(
      `The graph has ${inputs.length} inputs; the field is drawn on the first, "${inputs[0]?.id}".`,
    );
  return out;
}
