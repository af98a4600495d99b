import { elementwise } from './elementwise.js';

export const Sigmoid = elementwise({
  type: 'Sigmoid',
  category: 'Activation',
  summary: 'Squashes each value into (0, 1): 1/(1 + e^−x).',
  explanation:
    'Sigmoid(x) = 1/(1 + exp(−x)), applied to every element. Used for binary outputs and gates; in ' +
    'deep stacks its small gradients slow learning, where ReLU trains faster. No parameters.',
  params: {},
});
