import { bool, optionalInt, optionalIntPair, pair } from '../params/paramSpec.js';
import { defineLayer, noMacs, noParams } from './LayerDefinition.js';
import { poolChip, poolKeyParams, poolShape, poolStride } from './poolShape.js';

export const AvgPool2d = defineLayer({
  type: 'AvgPool2d',
  category: 'Pooling',
  idStem: 'avgpool',
  starter: { kernel_size: 2 },
  summary: 'Averages each window, per channel.',
  explanation:
    'Slides a kernel_size window over each channel and outputs its mean. stride defaults to ' +
    'kernel_size. H_out = ⌊(H + 2·padding − k)/stride⌋ + 1 (⌈…⌉ with ceil_mode, dropping a last ' +
    'window that would start in the right padding); padding may be at most ⌊kernel_size/2⌋. ' +
    'count_include_pad decides whether padded zeros count in the mean; divisor_override replaces ' +
    'the divisor. Channels unchanged, no parameters.',
  params: {
    kernel_size: pair({ min: 1, description: 'Height and width of each window.' }),
    stride: optionalIntPair({ description: 'Step between windows; null means kernel_size.' }),
    padding: pair({
      min: 0,
      default: 0,
      description: 'Zeros added on each side (≤ kernel_size/2).',
    }),
    ceil_mode: bool({
      default: false,
      advanced: true,
      description: 'Round the output size up, keeping a partial last window.',
    }),
    count_include_pad: bool({
      default: true,
      advanced: true,
      description: 'Count padded zeros in the average.',
    }),
    divisor_override: optionalInt({
      min: 1,
      advanced: true,
      description: 'Divide every window sum by this instead of the window size.',
    }),
  },
  inputs: { min: 1, max: 1 },
  keyParams: poolKeyParams,
  chip: poolChip('AvgPool2d'),
  shape: (ctx) => poolShape(ctx, [1, 1]),
  paramCount: noParams,
  macs: noMacs,
  receptiveField(ctx) {
    return {
      kind: 'window',
      kernel: ctx.params.kernel_size,
      stride: poolStride(ctx.params),
      padding: ctx.params.padding,
      dilation: [1, 1],
    };
  },
});
