import { elementwise } from './elementwise.js';

export const Tanh = elementwise({
  type: 'Tanh',
  category: 'Activation',
  summary: 'Squashes each value into (−1, 1).',
  explanation:
    'Tanh(x) = (e^x − e^−x)/(e^x + e^−x), applied to every element: a zero-centred sigmoid. ' +
    'No parameters.',
  params: {},
});
