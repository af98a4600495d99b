import { int, oneOf } from '../params/paramSpec.js';
import { BLOCK_INPUT, defineBlock, type BlockExpansion } from './BlockDefinition.js';
import { chain } from './ResidualBlock.js';

/**
 * torchvision.ops.SqueezeExcitation (MobileNetV3, EfficientNet, RegNetY): global average pool,
 * 1×1 conv down to squeeze_channels, activation, 1×1 conv back to C, scale activation, and the
 * input multiplied by that C×1×1 gate. Inner ids are torchvision's attribute names.
 */
export const SqueezeExcitation = defineBlock({
  type: 'SqueezeExcitation',
  category: 'Blocks',
  idStem: 'se',
  starter: { squeeze_channels: 8 },
  summary: 'Re-weights each channel by a gate computed from the whole image (squeeze-excitation).',
  explanation:
    'y = x · σ(fc2(δ(fc1(avgpool(x))))), as torchvision.ops.SqueezeExcitation (Hu et al., 2018): ' +
    'the map is squeezed to one value per channel, two 1×1 convolutions (C → squeeze_channels → C, ' +
    'with biases) and an activation δ compute one factor per channel, and the scale activation σ ' +
    'keeps it in [0, 1]; each channel of the input is multiplied by its factor. Shape unchanged. ' +
    'Params: C·S + S + S·C + C for S = squeeze_channels. MobileNetV3 uses ReLU and Hardsigmoid, ' +
    'EfficientNet SiLU and Sigmoid, RegNetY ReLU and Sigmoid.',
  params: {
    squeeze_channels: int({
      min: 1,
      description: 'S: channels of the bottleneck between fc1 and fc2.',
    }),
    activation: oneOf({
      options: ['ReLU', 'SiLU', 'Hardswish'],
      default: 'ReLU',
      description: 'δ, between the two 1×1 convolutions.',
    }),
    scale_activation: oneOf({
      options: ['Sigmoid', 'Hardsigmoid'],
      default: 'Sigmoid',
      description: 'σ, which turns the second conv’s output into the gate.',
    }),
  },
  inputs: { min: 1, max: 1 },
  keyParams: (p) => `squeeze ${p.squeeze_channels}`,
  expand({ squeeze_channels: s, activation, scale_activation }, input): BlockExpansion {
    const c = input[0] ?? 1;
    return {
      nodes: [
        { id: 'avgpool', type: 'AdaptiveAvgPool2d', params: { output_size: 1 } },
        { id: 'fc1', type: 'Conv2d', params: { out_channels: s, kernel_size: 1 } },
        { id: 'activation', type: activation },
        { id: 'fc2', type: 'Conv2d', params: { out_channels: c, kernel_size: 1 } },
        { id: 'scale_activation', type: scale_activation },
        { id: 'scale', type: 'Multiply' },
      ],
      edges: [
        ...chain(['avgpool', 'fc1', 'activation', 'fc2', 'scale_activation']),
        { source: 'scale_activation', target: 'scale', targetPort: 0 },
        { source: BLOCK_INPUT, target: 'scale', targetPort: 1 },
      ],
      output: 'scale',
    };
  },
});
