import { formatShape, type Shape } from '../shape.js';
import { fail, type LayerContext } from './LayerDefinition.js';

/** The input as [C, H, W], or a diagnostic explaining that this layer needs a feature map. */
export function requireSpatial(ctx: LayerContext<unknown>): readonly [number, number, number] {
  const s = ctx.input;
  if (s.length === 3) return [s[0] ?? 0, s[1] ?? 0, s[2] ?? 0];
  const what = s.length === 1 ? 'a flat vector' : `a rank-${s.length} tensor`;
  fail(
    'wrong-rank',
    `${ctx.title} expects a C×H×W feature map but receives ${what} of shape ${formatShape(s)}. ` +
      (s.length === 1
        ? 'Spatial layers must come before Flatten; move this layer above it.'
        : 'Reshape the input to C×H×W first.'),
  );
}

/** `"valid"`-style message for a window that does not fit, with the numbers that show why. */
export function kernelTooLarge(
  ctx: LayerContext<unknown>,
  axis: 'height' | 'width',
  input: number,
  padding: number,
  extent: number,
): never {
  fail(
    'kernel-too-large',
    `${ctx.title}: the ${axis} window spans ${extent} pixels but the padded input is only ` +
      `${input + 2 * padding} (${input} + 2·${padding}). Use a smaller kernel_size or dilation, ` +
      `add padding, or remove a downsampling layer before it.`,
  );
}

/** Whether two shapes list the same dimensions, for messages that compare them. */
export function describeShapes(shapes: readonly Shape[]): string {
  return shapes.map(formatShape).join(', ');
}
