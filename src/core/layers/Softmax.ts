import { int } from '../params/paramSpec.js';
import { resolveDim } from './checks.js';
import { elementwise } from './elementwise.js';

export const Softmax = elementwise({
  type: 'Softmax',
  category: 'Activation',
  summary: 'Turns scores into probabilities that sum to 1 along one dim.',
  explanation:
    'Softmax(x)_i = exp(x_i)/Σ_j exp(x_j), taken along dim. As in PyTorch, dim counts the batch ' +
    'axis: dim=1 is the features of an F input or the channels of a C×H×W map; negative dims ' +
    "count from the end. (PyTorch's implicit dim=None is deprecated; we default to 1.) " +
    'Shape unchanged, no parameters. For training with CrossEntropyLoss leave it out: the loss ' +
    'applies log-softmax itself.',
  params: {
    dim: int({
      default: 1,
      description: 'Dim whose entries sum to 1, counting the batch axis as 0.',
    }),
  },
  check: (ctx) => void resolveDim(ctx, 'dim', ctx.params.dim, ctx.input, 1),
});
