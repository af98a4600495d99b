import { elementwise, inplace } from './elementwise.js';

export const Hardswish = elementwise({
  type: 'Hardswish',
  category: 'Activation',
  summary: 'Hard swish: x·ReLU6(x + 3)/6, a piecewise stand-in for SiLU.',
  explanation:
    'Hardswish(x) = x·ReLU6(x + 3)/6, applied to every element: 0 for x ≤ −3, x for x ≥ 3, and ' +
    'x·(x + 3)/6 between (Howard et al., "Searching for MobileNetV3", 2019). It follows SiLU without ' +
    'an exponential, which is cheap on mobile hardware. No parameters.',
  params: { inplace },
});
