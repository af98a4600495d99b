import { bool, optionalIntPair, pair } from '../params/paramSpec.js';
import { defineLayer, noMacs, noParams } from './LayerDefinition.js';
import { poolChip, poolKeyParams, poolShape, poolStride } from './poolShape.js';

export const MaxPool2d = defineLayer({
  type: 'MaxPool2d',
  category: 'Pooling',
  idStem: 'pool',
  starter: { kernel_size: 2 },
  summary: 'Keeps the largest value of each window, per channel.',
  explanation:
    'Slides a kernel_size window over each channel and keeps its maximum. stride defaults to ' +
    'kernel_size (non-overlapping windows). H_out = ⌊(H + 2·padding − dilation·(k−1) − 1)/stride⌋ + 1; ' +
    'ceil_mode rounds up instead, but PyTorch drops a last window that would start in the right ' +
    'padding. padding may be at most ⌊kernel_size/2⌋ and is filled with −∞. Channels unchanged, ' +
    'no parameters; the receptive field grows like a convolution with the same window.',
  params: {
    kernel_size: pair({ min: 1, description: 'Height and width of each window.' }),
    stride: optionalIntPair({ description: 'Step between windows; null means kernel_size.' }),
    padding: pair({
      min: 0,
      default: 0,
      description: 'Implicit −∞ border on each side (≤ kernel_size/2).',
    }),
    dilation: pair({
      min: 1,
      default: 1,
      advanced: true,
      description: 'Spacing between window taps.',
    }),
    ceil_mode: bool({
      default: false,
      advanced: true,
      description: 'Round the output size up, keeping a partial last window.',
    }),
  },
  inputs: { min: 1, max: 1 },
  keyParams: poolKeyParams,
  chip: poolChip('MaxPool2d'),
  shape: (ctx) => poolShape(ctx, ctx.params.dilation),
  paramCount: noParams,
  macs: noMacs,
  receptiveField(ctx) {
    return {
      kind: 'window',
      kernel: ctx.params.kernel_size,
      stride: poolStride(ctx.params),
      padding: ctx.params.padding,
      dilation: ctx.params.dilation,
    };
  },
});
