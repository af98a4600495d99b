import type { LayerExplanation } from '../LayerExplanation.js';
import { NO_PARAMS, SAME_FIELD, SAME_SHAPE } from '../LayerExplanation.js';

/** A weight-free function applied to every element on its own. */
function activation(what: string, why: string): LayerExplanation {
  return { what, why, formulas: { shape: SAME_SHAPE, params: NO_PARAMS, rf: SAME_FIELD } };
}

/** Activations, normalization, regularization: layers that keep the shape. */
export const ELEMENTWISE_EXPLANATIONS = {
  ReLU: activation(
    'max(0, x) for every element: positives pass, negatives become 0.',
    'The default non-linearity after Conv2d and Linear: cheap, and its gradient is 1 for positive inputs, so deep networks keep learning.',
  ),
  ReLU6: activation(
    'min(max(0, x), 6) for every element.',
    'A ReLU whose outputs stay small, which survives low-precision (mobile) arithmetic; used by MobileNet.',
  ),
  LeakyReLU: activation(
    'x for x ≥ 0, negative_slope·x otherwise.',
    'Keeps a small gradient for negative inputs, so units cannot "die" at 0 as with ReLU.',
  ),
  ELU: activation(
    'x for x > 0, alpha·(eˣ − 1) otherwise: smooth, saturating at −alpha.',
    'Like ReLU but with negative outputs that pull mean activations towards zero.',
  ),
  GELU: activation(
    'x·Φ(x): x weighted by the probability that a standard normal is below x.',
    'The smooth ReLU of Transformers and modern CNNs (ConvNeXt).',
  ),
  SiLU: activation(
    'x·σ(x) (Swish): smooth and slightly non-monotonic.',
    'Often trains a little better than ReLU in deep CNNs; EfficientNet uses it.',
  ),
  Hardswish: activation(
    'x·ReLU6(x + 3)/6: 0 below −3, x above 3, a parabola between.',
    'SiLU made of a clip and a multiply, no exponential: cheap on phones; MobileNetV3 uses it.',
  ),
  Hardsigmoid: activation(
    'ReLU6(x + 3)/6: 0 below −3, 1 above 3, the line x/6 + 1/2 between.',
    'A sigmoid made of a clip, no exponential: the channel gate of MobileNetV3’s squeeze-excitation.',
  ),
  Sigmoid: activation(
    '1/(1 + e⁻ˣ): squashes every value into (0, 1).',
    'For probabilities of independent yes/no outputs and gates. Deep stacks of it learn slowly: its gradient is at most 0.25, so it vanishes layer after layer.',
  ),
  Tanh: activation(
    '(eˣ − e⁻ˣ)/(eˣ + e⁻ˣ): squashes every value into (−1, 1), centred at 0.',
    'Bounded, zero-centred outputs (recurrent cells, generator outputs); saturates like Sigmoid.',
  ),
  Softmax: activation(
    'exp(xᵢ)/Σⱼ exp(xⱼ) along dim: scores become probabilities that sum to 1.',
    'To read class probabilities at inference. Leave it out when training with cross-entropy, which applies log-softmax itself.',
  ),
  LogSoftmax: activation(
    'xᵢ − log Σⱼ exp(xⱼ) along dim, computed stably.',
    'Log-probabilities for NLLLoss; numerically safer than log(Softmax).',
  ),
  Identity: activation(
    'Returns its input unchanged.',
    'A placeholder: removes a layer without rewiring (e.g. a pretrained head replaced by nothing).',
  ),
  Dropout: activation(
    'While training, zeroes each element with probability p and scales the rest by 1/(1 − p); does nothing at evaluation.',
    'Regularization: the network cannot rely on any single unit, which reduces over-fitting (mostly before fully connected layers).',
  ),
  Dropout2d: activation(
    'While training, zeroes whole channels with probability p and scales the rest by 1/(1 − p).',
    'Dropout for conv feature maps: neighbouring pixels are correlated, so dropping single pixels would regularize little.',
  ),
  BatchNorm2d: {
    what: 'Normalizes each channel with the mean and variance over the batch and all H×W positions, then scales by a learned γ and shifts by a learned β.',
    why: 'Keeps activations in a steady range, so deeper networks train faster and tolerate larger learning rates; goes between a conv and its ReLU.',
    formulas: {
      shape: SAME_SHAPE,
      params:
        '2·C (γ, β); plus buffers running_mean, running_var (C each) and a counter — not trained',
      rf: SAME_FIELD,
    },
  },
  BatchNorm1d: {
    what: 'Normalizes each feature (or channel of a C×L input) over the batch, then scales by γ and shifts by β.',
    why: 'The same stabilizing effect as BatchNorm2d, for fully connected layers.',
    formulas: {
      shape: SAME_SHAPE,
      params: '2·F (γ, β); plus running statistics as buffers — not trained',
      rf: 'no spatial field (flat features)',
    },
  },
  LayerNorm2d: {
    what: 'Normalizes the C channel values at each pixel of each sample, then scales by γ and shifts by β per channel.',
    why: 'Normalization without batch statistics: the same in training and evaluation, any batch size (ConvNeXt).',
    formulas: {
      shape: SAME_SHAPE,
      params: '2·C (γ, β) when elementwise_affine; no buffers',
      rf: 'unchanged: each output unit mixes only the channels of its own pixel',
    },
  },
} satisfies Readonly<Record<string, LayerExplanation>>;
