import { line } from '../graph/traceLines.js';
import { int } from '../params/paramSpec.js';
import { formatShape, shapesEqual } from '../shape.js';
import { resolveDim } from './checks.js';
import { unchangedShape } from './elementwise.js';
import { defineLayer, fail, noMacs, noParams } from './LayerDefinition.js';

export const Flatten = defineLayer({
  type: 'Flatten',
  category: 'Linear/Reshape',
  summary: 'Joins dims into one: a C×H×W map becomes a flat vector for Linear.',
  explanation:
    'Merges dims start_dim…end_dim into one whose size is their product: with the defaults a ' +
    'C×H×W map becomes F = C·H·W, ready for Linear. As in PyTorch, dims count the batch axis ' +
    '(start_dim=1 is the first dim of a sample) and negative dims count from the end. No ' +
    'parameters; after it the output has no spatial receptive field.',
  params: {
    start_dim: int({
      default: 1,
      description: 'First dim to merge, counting the batch axis as 0.',
    }),
    end_dim: int({ default: -1, description: 'Last dim to merge (−1: the last).' }),
  },
  inputs: { min: 1, max: 1 },
  shape(ctx) {
    const s = ctx.input;
    const { start_dim: start, end_dim: end } = ctx.params;
    const a = resolveDim(ctx, 'start_dim', start, s, 1);
    const b = resolveDim(ctx, 'end_dim', end, s, -1);
    if (a > b) {
      fail(
        'invalid-value',
        `${ctx.title}: start_dim=${start} comes after end_dim=${end} (dims ${a + 1} and ${b + 1} ` +
          `of a batch of ${formatShape(s)} samples); PyTorch rejects this. Swap the two values.`,
      );
    }
    if (a === b) return unchangedShape(s, 'a single dim: nothing to merge');
    const merged = s.slice(a, b + 1);
    const size = merged.reduce((x, y) => x * y, 1);
    const shape = [...s.slice(0, a), size, ...s.slice(b + 1)];
    if (shape.length === 1) return { shape, trace: [line('shape', 'F', merged.join('·'), size)] };
    const parts = [
      ...s.slice(0, a).map(String),
      `(${merged.join('·')})`,
      ...s.slice(b + 1).map(String),
    ];
    return { shape, trace: [line('shape', 'shape', parts.join('×'), formatShape(shape))] };
  },
  paramCount: noParams,
  macs: noMacs,
  receptiveField: (ctx, output) =>
    shapesEqual(ctx.input, output) ? { kind: 'identity' } : { kind: 'flat' },
});
