import { axisLines, line } from '../graph/traceLines.js';
import { effectiveKernel, windowOutput } from '../math/convArithmetic.js';
import { extras, sizeText, stepText } from '../format/labelText.js';
import type { Pair } from '../shape.js';
import { kernelTooLarge, pairValue, requireSpatial, setParamFix } from './checks.js';
import { fail, type LayerContext, type ShapeOutcome } from './LayerDefinition.js';

/** The params MaxPool2d and AvgPool2d share. */
interface PoolParams {
  readonly kernel_size: Pair;
  readonly stride: Pair | null;
  readonly padding: Pair;
  readonly ceil_mode: boolean;
}

/** `3×3 · s 2 · pad 1`: the window, then a stride that was set and any padding. */
export function poolKeyParams(p: PoolParams): string {
  return [
    sizeText(p.kernel_size),
    ...extras([
      ['s', p.stride === null ? '' : stepText(p.stride), ''],
      ['pad', stepText(p.padding), '0'],
    ]),
  ].join(' · ');
}

/** `MaxPool2d 2×2`: type and window. */
export const poolChip =
  (type: string) =>
  (p: PoolParams): string =>
    `${type} ${sizeText(p.kernel_size)}`;

/** `stride=None` in torch.nn pooling means "equal to kernel_size" (non-overlapping windows). */
export function poolStride(params: PoolParams): Pair {
  return params.stride ?? params.kernel_size;
}

/**
 * Output shape of a sliding-window pool, with PyTorch's checks (aten/src/ATen/native/Pool.h
 * `pool2d_shape_check`): padding at most ⌊kernel_size/2⌋, at least one output per axis.
 */
export function poolShape(ctx: LayerContext<PoolParams>, dilation: Pair): ShapeOutcome {
  const [c, h, w] = requireSpatial(ctx);
  const { kernel_size: k, padding: p, ceil_mode: ceil } = ctx.params;
  const s = poolStride(ctx.params);
  const half: Pair = [Math.floor(k[0] / 2), Math.floor(k[1] / 2)];
  if (p[0] > half[0] || p[1] > half[1]) {
    const allowed: Pair = [Math.min(p[0], half[0]), Math.min(p[1], half[1])];
    fail(
      'invalid-value',
      `${ctx.title}: padding ${p.join('×')} is more than half of kernel_size ${k.join('×')}; ` +
        `PyTorch allows at most ${half.join('×')} ("pad should be at most half of kernel size"). ` +
        'Use a smaller padding or a larger kernel_size.',
      setParamFix(ctx, 'padding', pairValue(allowed)),
    );
  }
  const oh = windowOutput(h, k[0], s[0], p[0], dilation[0], ceil);
  const ow = windowOutput(w, k[1], s[1], p[1], dilation[1], ceil);
  if (oh.value < 1) kernelTooLarge(ctx, 'height', h, p[0], effectiveKernel(k[0], dilation[0]));
  if (ow.value < 1) kernelTooLarge(ctx, 'width', w, p[1], effectiveKernel(k[1], dilation[1]));
  return {
    shape: [c, oh.value, ow.value],
    trace: [line('shape', 'C_out', 'C_in', c), ...axisLines('shape', ['H_out', 'W_out'], oh, ow)],
  };
}
