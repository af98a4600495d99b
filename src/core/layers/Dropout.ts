import { float } from '../params/paramSpec.js';
import { elementwise, inplace } from './elementwise.js';

export const Dropout = elementwise({
  type: 'Dropout',
  category: 'Regularization',
  summary: 'During training, zeroes each element with probability p.',
  explanation:
    'While training, each element is zeroed with probability p and the survivors are scaled by ' +
    '1/(1−p), so evaluation (where Dropout does nothing) sees the same expected values. Shape ' +
    'unchanged, no parameters.',
  keyParams: (p) => `p ${p.p}`,
  chip: (p) => `Dropout ${p.p}`,
  params: {
    p: float({ default: 0.5, min: 0, max: 1, description: 'Probability of zeroing an element.' }),
    inplace,
  },
});
