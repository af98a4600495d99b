import { elementwise, inplace } from './elementwise.js';

export const ReLU6 = elementwise({
  type: 'ReLU6',
  category: 'Activation',
  summary: 'ReLU capped at 6: min(max(0, x), 6).',
  explanation:
    'ReLU6(x) = min(max(0, x), 6), applied to every element. The cap keeps activations in a range ' +
    'that survives low-precision arithmetic, which is why MobileNet uses it. No parameters.',
  params: { inplace },
});
