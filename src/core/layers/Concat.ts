import { line } from '../graph/traceLines.js';
import { int } from '../params/paramSpec.js';
import { axisLabel, describeInputs, resolveDim } from './checks.js';
import { defineLayer, fail, noMacs, noParams } from './LayerDefinition.js';

export const Concat = defineLayer({
  type: 'Concat',
  category: 'Merge',
  summary: 'Stacks its inputs along one dim (channels by default), as torch.cat.',
  explanation:
    'torch.cat(inputs, dim): the sizes along dim add up and every other dim must match. As in ' +
    'PyTorch, dim counts the batch axis: dim=1 joins the channels of C×H×W maps (Inception, ' +
    'DenseNet, U-Net skips) or the features of flat inputs; negative dims count from the end. ' +
    'Input order (port 0, 1, …) is the order in the output. No parameters.',
  params: {
    dim: int({
      default: 1,
      description: 'Dim to join along, counting the batch axis as 0 (1 = channels).',
    }),
  },
  inputs: { min: 2, max: 64 },
  shape(ctx) {
    const first = ctx.input;
    const rank = first.length;
    if (ctx.inputs.some((s) => s.length !== rank)) {
      fail(
        'shape-mismatch',
        `${ctx.title} needs inputs with the same number of dims, but ${describeInputs(ctx)}. ` +
          'Flatten or reshape the branches so they match.',
      );
    }
    const axis = resolveDim(ctx, 'dim', ctx.params.dim, first, 1);
    const name = axisLabel(rank, axis);
    for (let j = 0; j < rank; j++) {
      if (j === axis || ctx.inputs.every((s) => s[j] === first[j])) continue;
      fail(
        'shape-mismatch',
        `${ctx.title} joins along dim=${ctx.params.dim} (${name}), so every other dim must match, ` +
          `but ${describeInputs(ctx)}: ${axisLabel(rank, j)} differs. ` +
          (rank === 3 && axis === 0
            ? 'Bring the branches to the same H×W (pool or stride the larger one) first.'
            : 'Make those sizes agree or join along another dim.'),
      );
    }
    const sizes = ctx.inputs.map((s) => s[axis] ?? 0);
    const total = sizes.reduce((a, b) => a + b, 0);
    const shape = first.map((d, j) => (j === axis ? total : d));
    return { shape, trace: [line('shape', `${name}_out`, sizes.join(' + '), total)] };
  },
  paramCount: noParams,
  macs: noMacs,
  receptiveField: () => ({ kind: 'merge' }),
});
