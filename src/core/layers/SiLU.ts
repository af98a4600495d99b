import { elementwise, inplace } from './elementwise.js';

export const SiLU = elementwise({
  type: 'SiLU',
  category: 'Activation',
  summary: 'Sigmoid-weighted linear unit (Swish): x·σ(x).',
  explanation:
    'SiLU(x) = x·sigmoid(x), applied to every element; smooth and non-monotonic, used by ' +
    'EfficientNet. No parameters.',
  params: { inplace },
});
