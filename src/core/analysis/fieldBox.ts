import type { GraphAnalysis } from './analyze.js';

/** A rectangle in input pixels, inclusive, [top, left] to [bottom, right]. */
export interface PixelBox {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

export interface FieldBox {
  /** Where the unit's field lies, possibly reaching into the padding (negative or past the edge). */
  readonly field: PixelBox;
  /** The part inside the image: what the overlay draws on the input. */
  readonly visible: PixelBox;
  readonly center: readonly [number, number];
}

/**
 * The input pixels that output unit (row, col) of `node` sees: centre = start + index·jump and
 * extent = size, from the analysis' receptive field (Araujo et al.). Null for flat outputs or a
 * position outside the node's output.
 */
export function fieldBox(
  analysis: GraphAnalysis,
  node: string,
  row: number,
  col: number,
): FieldBox | null {
  const n = analysis.nodes.get(node);
  const f = n?.receptiveField;
  const [, h = 0, w = 0] = n?.outputShape ?? [];
  if (!f || row < 0 || col < 0 || row >= h || col >= w) return null;
  const input = analysis.layers.find((l) => l.type === 'Input')?.outputShape ?? [];
  const [, ih = 0, iw = 0] = input;
  const cy = f.start[0] + row * f.jump[0];
  const cx = f.start[1] + col * f.jump[1];
  const field = {
    top: Math.ceil(cy - (f.size[0] - 1) / 2),
    left: Math.ceil(cx - (f.size[1] - 1) / 2),
    bottom: Math.floor(cy + (f.size[0] - 1) / 2),
    right: Math.floor(cx + (f.size[1] - 1) / 2),
  };
  const visible = {
    top: Math.max(0, field.top),
    left: Math.max(0, field.left),
    bottom: Math.min(ih - 1, field.bottom),
    right: Math.min(iw - 1, field.right),
  };
  return { field, visible, center: [cy, cx] };
}
