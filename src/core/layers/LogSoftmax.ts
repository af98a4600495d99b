import { int } from '../params/paramSpec.js';
import { resolveDim } from './checks.js';
import { elementwise } from './elementwise.js';

export const LogSoftmax = elementwise({
  type: 'LogSoftmax',
  category: 'Activation',
  summary: 'Log-probabilities along one dim: log(softmax(x)), computed stably.',
  explanation:
    'LogSoftmax(x)_i = x_i − log Σ_j exp(x_j), taken along dim; pair it with NLLLoss. As in ' +
    'PyTorch, dim counts the batch axis (dim=1: the features of an F input); negative dims count ' +
    'from the end. Shape unchanged, no parameters.',
  params: {
    dim: int({ default: 1, description: 'Dim to normalize over, counting the batch axis as 0.' }),
  },
  check: (ctx) => void resolveDim(ctx, 'dim', ctx.params.dim, ctx.input, 1),
});
