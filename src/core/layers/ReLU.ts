import { elementwise, inplace } from './elementwise.js';

export const ReLU = elementwise({
  type: 'ReLU',
  category: 'Activation',
  summary: 'Keeps positive values and zeroes the rest: max(0, x).',
  explanation:
    'ReLU(x) = max(0, x), applied to every element. The shape is unchanged and there are no ' +
    'parameters; it is the default non-linearity after Conv2d and Linear layers.',
  params: { inplace },
});
