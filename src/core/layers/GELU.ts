import { oneOf } from '../params/paramSpec.js';
import { elementwise } from './elementwise.js';

export const GELU = elementwise({
  type: 'GELU',
  category: 'Activation',
  summary: 'Gaussian error linear unit: x weighted by the probability Φ(x).',
  explanation:
    'GELU(x) = x·Φ(x), with Φ the standard normal CDF, applied to every element (Hendrycks & ' +
    'Gimpel, 2016). approximate="tanh" uses 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). No parameters.',
  params: {
    approximate: oneOf({
      options: ['none', 'tanh'],
      default: 'none',
      advanced: true,
      description: 'Exact erf form, or the faster tanh approximation.',
    }),
  },
});
