import type { TraceLine } from '../graph/trace.js';
import { axisLines, line } from '../graph/traceLines.js';
import { adaptiveWindow } from '../math/convArithmetic.js';
import type { SizePair } from '../params/paramSpec.js';
import { sizeText } from '../format/labelText.js';
import type { Pair } from '../shape.js';
import { requireSpatial } from './checks.js';
import type { LayerContext, RfRule, ShapeOutcome } from './LayerDefinition.js';

type Ctx = LayerContext<{ readonly output_size: SizePair }>;

/** `→ 1×1`: the output size. */
export const adaptiveKeyParams = (p: { readonly output_size: SizePair }): string =>
  `→ ${sizeText(p.output_size)}`;

/** `Global avg pool` for output_size 1, else `AdaptiveAvgPool2d 4×3`. */
export const adaptiveChip =
  (type: string, global: string) =>
  (p: { readonly output_size: SizePair }): string =>
    sizeText(p.output_size) === '1×1' ? global : `${type} ${sizeText(p.output_size)}`;

/** Output [C, H_out, W_out] of an adaptive pool: output_size, where null keeps the input size. */
export function adaptivePoolShape(ctx: Ctx): ShapeOutcome {
  const [c, h, w] = requireSpatial(ctx);
  const [oh, ow] = ctx.params.output_size;
  const axis = (label: 'H' | 'W', input: number, out: number | null) =>
    out === null
      ? { expression: `${label}_in (output_size null)`, value: input }
      : { expression: 'output_size', value: out };
  const outH = oh ?? h;
  const outW = ow ?? w;
  return {
    shape: [c, outH, outW],
    trace: [
      line('shape', 'C_out', 'C_in', c),
      ...axisLines('shape', ['H_out', 'W_out'], axis('H', h, oh), axis('W', w, ow)),
      ...windowLines([h, w], [outH, outW]),
    ],
  };
}

/** Explains the windows PyTorch uses: output i pools input [⌊i·in/out⌋, ⌈(i+1)·in/out⌉). */
function windowLines(input: Pair, output: Pair): TraceLine[] {
  const text = (i: 0 | 1): string => {
    const { kernel, stride } = adaptiveWindow(input[i], output[i]);
    const a = input[i];
    const b = output[i];
    if (a % b === 0) return `kernel = ${kernel}, stride = ${stride} (${a}/${b})`;
    return (
      `kernel ≤ ${kernel}, stride ≈ ${Number(stride.toFixed(4))} ` +
      `(output i pools input ⌊i·${a}/${b}⌋ to ⌈(i+1)·${a}/${b}⌉ − 1)`
    );
  };
  const h = text(0);
  const w = text(1);
  return h === w
    ? [line('shape', 'window', '', h)]
    : [line('shape', 'window_h', '', h), line('shape', 'window_w', '', w)];
}

/** The field of the largest window, stepped by the mean stride (see {@link adaptiveWindow}). */
export function adaptivePoolField(ctx: Ctx, output: readonly number[]): RfRule {
  const h = adaptiveWindow(ctx.input[1] ?? 1, output[1] ?? 1);
  const w = adaptiveWindow(ctx.input[2] ?? 1, output[2] ?? 1);
  return {
    kind: 'window',
    kernel: [h.kernel, w.kernel],
    stride: [h.stride, w.stride],
    padding: [0, 0],
    dilation: [1, 1],
  };
}
