import type { Fix } from '../diagnostics.js';
import type { ParamValue } from '../graph/document.js';
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

/**
 * A `dim` argument as PyTorch reads it — counting the batch axis, negative from the end — turned
 * into an index of the batch-free shape. Dim 0 (the batch) is refused with a fix setting `fixTo`.
 */
export function resolveDim(
  ctx: LayerContext<unknown>,
  param: string,
  dim: number,
  shape: Shape,
  fixTo: number,
): number {
  const rank = shape.length + 1;
  if (dim < -rank || dim >= rank) {
    fail(
      'invalid-value',
      `${ctx.title}: ${param}=${dim} is out of range. A sample of shape ${formatShape(shape)} has ` +
        `${rank} dims with the batch axis, so ${param} must be from ${-rank} to ${rank - 1}.`,
      setParamFix(ctx, param, fixTo),
    );
  }
  const index = dim < 0 ? dim + rank : dim;
  if (index === 0) {
    const fixIndex = (fixTo < 0 ? fixTo + rank : fixTo) - 1;
    fail(
      'invalid-value',
      `${ctx.title}: ${param}=${dim} is the batch axis (dims count it, as in PyTorch), which would ` +
        `mix the samples of a batch. Use ${param}=${fixTo} (axis ${axisLabel(shape.length, fixIndex)} ` +
        `of a sample of shape ${formatShape(shape)}).`,
      setParamFix(ctx, param, fixTo),
    );
  }
  return index - 1;
}

/** A one-click fix setting `param` of this node to `value`. */
export function setParamFix(ctx: LayerContext<unknown>, param: string, value: ParamValue): Fix {
  const text = Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
  return {
    kind: 'set-param',
    description: `Set ${param} to ${text}`,
    node: ctx.node,
    param,
    value,
  };
}

/** A per-axis pair as a param value: `3` when both axes agree, else `[h, w]`. */
export function pairValue(pair: readonly [number, number]): ParamValue {
  return pair[0] === pair[1] ? pair[0] : [...pair];
}

/** The usual name of axis `index` of a batch-free shape of this rank: C, H, W for feature maps. */
export function axisLabel(rank: number, index: number): string {
  const names = rank === 3 ? ['C', 'H', 'W'] : rank === 2 ? ['C', 'L'] : rank === 1 ? ['F'] : [];
  return names[index] ?? `dim ${index + 1}`;
}

/** `input 0 from "conv2" is 128×28×28 and input 1 from "x" is 64×56×56`, for merge messages. */
export function describeInputs(ctx: LayerContext<unknown>): string {
  const parts = ctx.inputs.map(
    (s, i) => `input ${i} from "${ctx.sources[i] ?? '?'}" is ${formatShape(s)}`,
  );
  return parts.length <= 2
    ? parts.join(' and ')
    : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
