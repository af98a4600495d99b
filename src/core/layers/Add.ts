import type { Fix } from '../diagnostics.js';
import { line } from '../graph/traceLines.js';
import { formatShape, shapesEqual, type Shape } from '../shape.js';
import { describeInputs } from './checks.js';
import { defineLayer, fail, noMacs, noParams, type LayerContext } from './LayerDefinition.js';

export const Add = defineLayer({
  type: 'Add',
  category: 'Merge',
  summary: 'Sums its inputs element by element: the join of a residual connection.',
  explanation:
    'out = x₀ + x₁ + …, element by element, so every input must have the same shape. (PyTorch ' +
    'would broadcast some mismatches, but in a CNN they are almost always wiring mistakes; ResNet ' +
    'puts a 1×1 Conv2d projection on the shortcut when channels or size change.) No parameters; ' +
    'each output unit sees the union of what its inputs see.',
  params: {},
  inputs: { min: 2, max: 64 },
  shape(ctx) {
    const first = ctx.input;
    if (ctx.inputs.every((s) => shapesEqual(s, first))) {
      return {
        shape: first,
        trace: [line('shape', 'shape', '', `${formatShape(first)} (as every input)`)],
      };
    }
    const fix = projection(ctx);
    fail(
      'shape-mismatch',
      `${ctx.title} adds element by element, so all inputs need the same shape, but ` +
        `${describeInputs(ctx)}. ` +
        (fix
          ? `${fix.description} so they match.`
          : 'Change the branches so they produce the same shape.'),
      fix,
    );
  },
  paramCount: noParams,
  macs: noMacs,
  receptiveField: () => ({ kind: 'merge' }),
});

/**
 * A ResNet-style shortcut projection for the first input that differs from the target (the most
 * downsampled input, then the one with most channels): a 1×1 Conv2d with the target's channels
 * and stride = the spatial ratio. Undefined when no 1×1 strided conv can produce the target.
 */
function projection(ctx: LayerContext<unknown>): Extract<Fix, { kind: 'insert-node' }> | undefined {
  const shapes = ctx.inputs;
  if (!shapes.every((s) => s.length === 3)) return undefined;
  const area = (s: Shape) => (s[1] ?? 0) * (s[2] ?? 0);
  const target = shapes.reduce((best, s) =>
    area(s) < area(best) || (area(s) === area(best) && (s[0] ?? 0) > (best[0] ?? 0)) ? s : best,
  );
  const port = shapes.findIndex((s) => !shapesEqual(s, target));
  const branch = shapes[port];
  if (branch === undefined) return undefined;
  // A 1×1 conv with stride s maps H to ⌈H/s⌉.
  const stride = (i: 1 | 2): number | undefined => {
    const from = branch[i] ?? 0;
    const to = target[i] ?? 0;
    const s = Math.max(1, Math.round(from / to));
    return Math.ceil(from / s) === to ? s : undefined;
  };
  const sh = stride(1);
  const sw = stride(2);
  if (sh === undefined || sw === undefined) return undefined;
  const out = target[0] ?? 1;
  const strideText = sh === 1 && sw === 1 ? '' : `, stride ${sh === sw ? sh : `${sh}×${sw}`}`;
  const source = ctx.sources[port] ?? '';
  return {
    kind: 'insert-node',
    description: `Insert a 1×1 Conv2d (${branch[0]}→${out} channels${strideText}) on the branch from "${source}"`,
    source,
    target: ctx.node,
    targetPort: port,
    nodeType: 'Conv2d',
    params: {
      out_channels: out,
      kernel_size: 1,
      ...(strideText !== '' && { stride: sh === sw ? sh : [sh, sw] }),
    },
  };
}
