import type { GraphDocument } from '../../src/core/graph/document.js';
import { chainGraph, shuffleUnit, squeezeExcitation } from './modelHelpers.js';

/** Single-layer (and small) graphs covering every PyTorch option the engine must reproduce. */
export const LAYER_CASES: readonly (readonly [string, GraphDocument])[] = [
  [
    'Conv2d padding 1',
    chainGraph([3, 9, 8], ['Conv2d', { out_channels: 4, kernel_size: 3, padding: 1 }]),
  ],
  [
    'Conv2d pair padding, stride (2,1)',
    chainGraph(
      [2, 9, 8],
      ['Conv2d', { out_channels: 3, kernel_size: [3, 2], stride: [2, 1], padding: [0, 2] }],
    ),
  ],
  [
    'Conv2d same, even kernel, dilation 2',
    chainGraph(
      [2, 8, 7],
      ['Conv2d', { out_channels: 3, kernel_size: 4, padding: 'same', dilation: 2 }],
    ),
  ],
  [
    'Conv2d dilation (2,3) stride 2',
    chainGraph(
      [2, 13, 14],
      ['Conv2d', { out_channels: 3, kernel_size: 3, dilation: [2, 3], stride: 2, padding: 1 }],
    ),
  ],
  [
    'Conv2d groups 2, no bias',
    chainGraph([4, 7, 7], ['Conv2d', { out_channels: 6, kernel_size: 3, groups: 2, bias: false }]),
  ],
  [
    'Conv2d depthwise ×2',
    chainGraph(
      [3, 7, 6],
      ['Conv2d', { out_channels: 6, kernel_size: 3, groups: 3, padding: 1, stride: 2 }],
    ),
  ],
  [
    'Conv2d reflect',
    chainGraph(
      [2, 6, 6],
      ['Conv2d', { out_channels: 2, kernel_size: 3, padding: 2, padding_mode: 'reflect' }],
    ),
  ],
  [
    'Conv2d replicate',
    chainGraph(
      [2, 6, 6],
      ['Conv2d', { out_channels: 2, kernel_size: 3, padding: [1, 2], padding_mode: 'replicate' }],
    ),
  ],
  [
    'Conv2d circular',
    chainGraph(
      [2, 6, 6],
      ['Conv2d', { out_channels: 2, kernel_size: 3, padding: 1, padding_mode: 'circular' }],
    ),
  ],
  [
    'ConvTranspose2d stride 2, padding 1, output_padding 1',
    chainGraph(
      [3, 5, 4],
      [
        'ConvTranspose2d',
        { out_channels: 2, kernel_size: 3, stride: 2, padding: 1, output_padding: 1 },
      ],
    ),
  ],
  [
    'ConvTranspose2d groups 2, dilation 2',
    chainGraph(
      [4, 4, 5],
      ['ConvTranspose2d', { out_channels: 2, kernel_size: [2, 3], groups: 2, dilation: 2 }],
    ),
  ],
  [
    'MaxPool2d 3/2/1 ceil_mode',
    chainGraph(
      [2, 8, 9],
      ['MaxPool2d', { kernel_size: 3, stride: 2, padding: 1, ceil_mode: true }],
    ),
  ],
  [
    'MaxPool2d dilation 2, stride 2',
    chainGraph([2, 11, 10], ['MaxPool2d', { kernel_size: 2, stride: 2, dilation: 2 }]),
  ],
  [
    'AvgPool2d ceil, pad, exclude pad',
    chainGraph(
      [2, 8, 7],
      [
        'AvgPool2d',
        { kernel_size: 3, stride: 2, padding: 1, ceil_mode: true, count_include_pad: false },
      ],
    ),
  ],
  [
    'AvgPool2d count_include_pad ceil',
    chainGraph(
      [2, 8, 7],
      ['AvgPool2d', { kernel_size: 3, stride: 2, padding: 1, ceil_mode: true }],
    ),
  ],
  [
    'AvgPool2d divisor_override',
    chainGraph([2, 6, 6], ['AvgPool2d', { kernel_size: 2, divisor_override: 3 }]),
  ],
  [
    'AdaptiveAvgPool2d 7×9 → 5×3',
    chainGraph([2, 7, 9], ['AdaptiveAvgPool2d', { output_size: [5, 3] }]),
  ],
  [
    'AdaptiveMaxPool2d [null, 4]',
    chainGraph([2, 5, 9], ['AdaptiveMaxPool2d', { output_size: [null, 4] }]),
  ],
  ['AdaptiveAvgPool2d 1', chainGraph([3, 5, 5], ['AdaptiveAvgPool2d', { output_size: 1 }])],
  ['BatchNorm2d', chainGraph([3, 4, 5], ['BatchNorm2d', {}])],
  [
    'LayerNorm2d, then without affine',
    chainGraph(
      [3, 4, 5],
      ['LayerNorm2d', { eps: 1e-6 }],
      ['Conv2d', { out_channels: 4, kernel_size: 1 }],
      ['LayerNorm2d', { elementwise_affine: false }],
    ),
  ],
  ['BatchNorm1d no affine', chainGraph([6], ['BatchNorm1d', { affine: false, eps: 0.001 }])],
  [
    'activations',
    chainGraph(
      [3, 4, 4],
      ['LeakyReLU', { negative_slope: 0.2 }],
      ['ELU', { alpha: 0.5 }],
      ['ReLU6', {}],
      ['Conv2d', { out_channels: 3, kernel_size: 1 }],
      ['GELU', {}],
      ['SiLU', {}],
      ['Hardswish', {}],
      ['Hardsigmoid', {}],
    ),
  ],
  [
    'GELU tanh, Sigmoid, Tanh',
    chainGraph(
      [5],
      ['GELU', { approximate: 'tanh' }],
      ['Sigmoid', {}],
      ['Linear', { out_features: 4 }],
      ['Tanh', {}],
    ),
  ],
  ['Softmax over channels', chainGraph([4, 3, 3], ['Softmax', { dim: 1 }])],
  ['LogSoftmax over W', chainGraph([4, 3, 5], ['LogSoftmax', { dim: -1 }])],
  [
    'Flatten → Linear (C×H×W order)',
    chainGraph([3, 4, 5], ['Flatten', {}], ['Linear', { out_features: 7 }], ['LogSoftmax', {}]),
  ],
  [
    'Flatten(2) → Linear on L×F',
    chainGraph([3, 4, 5], ['Flatten', { start_dim: 2 }], ['Linear', { out_features: 2 }]),
  ],
  ['Upsample nearest ×2', chainGraph([2, 3, 4], ['Upsample', { scale_factor: 2 }])],
  ['Upsample nearest size', chainGraph([2, 3, 4], ['Upsample', { size: [7, 5] }])],
  [
    'Upsample nearest-exact ×1.5',
    chainGraph([2, 4, 4], ['Upsample', { scale_factor: 1.5, mode: 'nearest-exact' }]),
  ],
  ['Upsample bilinear', chainGraph([2, 3, 4], ['Upsample', { scale_factor: 2, mode: 'bilinear' }])],
  [
    'Upsample bilinear align_corners',
    chainGraph([2, 3, 4], ['Upsample', { size: [5, 7], mode: 'bilinear', align_corners: true }]),
  ],
  ['Upsample bicubic', chainGraph([2, 4, 3], ['Upsample', { scale_factor: 2, mode: 'bicubic' }])],
  ['PixelShuffle 2', chainGraph([8, 3, 2], ['PixelShuffle', { upscale_factor: 2 }])],
  ['ChannelShuffle 3 groups', chainGraph([6, 3, 2], ['ChannelShuffle', { groups: 3 }])],
  [
    'Slice of channels, then of features',
    chainGraph(
      [5, 3, 2],
      ['Slice', { start: 1, end: 4 }],
      ['Flatten'],
      ['Slice', { start: 2, end: 9 }],
    ),
  ],
  [
    'ShuffleNet v2 unit: Slice, Concat, ChannelShuffle',
    shuffleUnit([3, 5, 4], { nodes: [], edges: [] }),
  ],
  ['ZeroPad2d crop and pad', chainGraph([2, 5, 5], ['ZeroPad2d', { padding: [1, -1, 2, 0] }])],
  ['Dropout in eval', chainGraph([3, 4, 4], ['Dropout2d', { p: 0.5 }], ['Dropout', { p: 0.3 }])],
  [
    'ResidualBlock stride 2',
    chainGraph([4, 6, 6], ['ResidualBlock', { out_channels: 8, stride: 2 }]),
  ],
  [
    'SqueezeExcitation as MobileNetV3 (ReLU, Hardsigmoid)',
    chainGraph(
      [6, 5, 4],
      ['SqueezeExcitation', { squeeze_channels: 3, scale_activation: 'Hardsigmoid' }],
    ),
  ],
  [
    'Bottleneck groups 2',
    chainGraph([8, 5, 5], ['Bottleneck', { planes: 4, groups: 2, stride: 2 }]),
  ],
  [
    'Multiply: a squeeze-excitation gate (port 0) and a same-shape product',
    squeezeExcitation([4, 5, 6], {
      nodes: [{ id: 'square', type: 'Multiply' }],
      edges: [
        { source: 'scale', target: 'square', targetPort: 0 },
        { source: 'x', target: 'square', targetPort: 1 },
      ],
    }),
  ],
  [
    'Add and Concat',
    {
      format: 'nnb-graph',
      version: 1,
      nodes: [
        { id: 'x', type: 'Input', params: { shape: [2, 5, 4] } },
        { id: 'a', type: 'Conv2d', params: { out_channels: 2, kernel_size: 3, padding: 1 } },
        { id: 'b', type: 'Conv2d', params: { out_channels: 2, kernel_size: 1 } },
        { id: 'add', type: 'Add' },
        { id: 'cat', type: 'Concat', params: { dim: 2 } },
        { id: 'c', type: 'Conv2d', params: { out_channels: 3, kernel_size: 1 } },
        { id: 'cat2', type: 'Concat', params: { dim: 1 } },
      ],
      edges: [
        { source: 'x', target: 'a' },
        { source: 'x', target: 'b' },
        { source: 'a', target: 'add' },
        { source: 'b', target: 'add' },
        { source: 'add', target: 'cat', targetPort: 0 },
        { source: 'b', target: 'cat', targetPort: 1 },
        { source: 'cat', target: 'c' },
        { source: 'c', target: 'cat2', targetPort: 1 },
        { source: 'cat', target: 'cat2', targetPort: 0 },
      ],
    },
  ],
];
