import { elementwise, inplace } from './elementwise.js';

export const Hardsigmoid = elementwise({
  type: 'Hardsigmoid',
  category: 'Activation',
  summary: 'Hard sigmoid: ReLU6(x + 3)/6, a piecewise-linear gate in [0, 1].',
  explanation:
    'Hardsigmoid(x) = ReLU6(x + 3)/6, applied to every element: 0 for x ≤ −3, 1 for x ≥ 3, and ' +
    'x/6 + 1/2 between (torch.nn.Hardsigmoid; ONNX HardSigmoid with alpha 1/6, beta 1/2). It ' +
    'stands in for the sigmoid gate of squeeze-excitation in MobileNetV3 (Howard et al., 2019) ' +
    'without an exponential. (Keras’ hard_sigmoid uses 0.2·x + 0.5, a different slope.) No ' +
    'parameters.',
  params: { inplace },
});
