import { float } from '../params/paramSpec.js';
import { elementwise, inplace } from './elementwise.js';

export const ELU = elementwise({
  type: 'ELU',
  category: 'Activation',
  summary: 'Exponential linear unit: smooth for negative values, saturating at −alpha.',
  explanation:
    'ELU(x) = x for x > 0 and alpha·(exp(x) − 1) otherwise, applied to every element ' +
    '(Clevert et al., 2015). No learned parameters.',
  params: {
    alpha: float({
      default: 1.0,
      description: 'Value the output approaches for very negative inputs (as −alpha).',
    }),
    inplace,
  },
});
