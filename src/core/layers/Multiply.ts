import { line } from '../graph/traceLines.js';
import { formatShape, shapesEqual, type Shape } from '../shape.js';
import { describeInputs } from './checks.js';
import { defineLayer, fail, noMacs, noParams, type LayerContext } from './LayerDefinition.js';

/** Whether `gate` is C×1×1 for a C×H×W `map`: one factor per channel, broadcast over H×W. */
function perChannel(gate: Shape, map: Shape): boolean {
  return (
    gate.length === 3 && map.length === 3 && gate[0] === map[0] && gate[1] === 1 && gate[2] === 1
  );
}

/** The product's shape: both inputs alike, or one a C×1×1 gate of the other's C×H×W. */
function productShape(ctx: LayerContext<unknown>): { shape: Shape; note: string } {
  const [a = [], b = []] = ctx.inputs;
  if (shapesEqual(a, b)) return { shape: a, note: 'as both inputs' };
  if (perChannel(b, a)) return { shape: a, note: `port 1's ${formatShape(b)} broadcast over H×W` };
  if (perChannel(a, b)) return { shape: b, note: `port 0's ${formatShape(a)} broadcast over H×W` };
  const maps = [a, b].filter((s) => s.length === 3);
  const hint =
    maps.length === 2 && a[0] !== b[0]
      ? 'The channel counts differ: give the gate branch as many channels as the map (its last 1×1 Conv2d’s out_channels).'
      : 'Make both branches the same shape, or reduce one to C×1×1 (AdaptiveAvgPool2d(1), then 1×1 convolutions) to scale each channel.';
  fail(
    'shape-mismatch',
    `${ctx.title} multiplies element by element, so its inputs need the same shape, or one must ` +
      `be C×1×1 to scale the channels of a C×H×W map, but ${describeInputs(ctx)}. ${hint}`,
  );
}

export const Multiply = defineLayer({
  type: 'Multiply',
  category: 'Merge',
  summary: 'Multiplies its two inputs element by element; a C×1×1 input scales each channel.',
  explanation:
    'out = x₀ · x₁, element by element (torch.mul, ONNX Mul). The inputs have the same shape, or ' +
    'one is C×1×1 and is broadcast over the H×W of the other C×H×W map: one factor per channel, ' +
    'which is how squeeze-excitation (Hu et al., 2018; MobileNetV3, EfficientNet) re-weights ' +
    'channels with a gate computed from the whole image. No parameters, and no MACs counted (as ' +
    'torchinfo counts: the products are not multiply-accumulates of a weight). Each output unit ' +
    'sees the union of what its inputs see.',
  params: {},
  inputs: { min: 2, max: 2 },
  shape(ctx) {
    const { shape, note } = productShape(ctx);
    return { shape, trace: [line('shape', 'shape', '', `${formatShape(shape)} (${note})`)] };
  },
  paramCount: noParams,
  macs: noMacs,
  receptiveField: () => ({ kind: 'merge' }),
});
