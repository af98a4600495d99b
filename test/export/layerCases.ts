import type { GraphDocument, ParamValue } from '../../src/core/graph/document.js';
import { chain, graph } from '../helpers.js';

type P = Record<string, ParamValue>;
const one = (shape: number[], type: string, params: P = {}): GraphDocument =>
  chain(shape, ['layer', type, params]);
const img = [4, 9, 11];

/** One small graph per layer variant: every catalog type, the awkward settings included. */
export const LAYER_CASES: Record<string, GraphDocument> = {
  'Conv2d k3 p1': one(img, 'Conv2d', { out_channels: 5, kernel_size: 3, padding: 1 }),
  'Conv2d rect, stride, dilation, groups': one(img, 'Conv2d', {
    out_channels: 6,
    kernel_size: [3, 5],
    stride: [2, 1],
    padding: [1, 2],
    dilation: [1, 2],
    groups: 2,
  }),
  'Conv2d same, even kernel, no bias': one(img, 'Conv2d', {
    out_channels: 3,
    kernel_size: 4,
    padding: 'same',
    bias: false,
  }),
  'Conv2d reflect': one(img, 'Conv2d', {
    out_channels: 3,
    kernel_size: 3,
    padding: 2,
    padding_mode: 'reflect',
  }),
  'Conv2d replicate': one(img, 'Conv2d', {
    out_channels: 3,
    kernel_size: 3,
    padding: 1,
    padding_mode: 'replicate',
  }),
  'ConvTranspose2d stride, output_padding, groups': one(img, 'ConvTranspose2d', {
    out_channels: 6,
    kernel_size: 3,
    stride: 2,
    padding: 1,
    output_padding: 1,
    groups: 2,
  }),
  'ConvTranspose2d dilation': one(img, 'ConvTranspose2d', {
    out_channels: 3,
    kernel_size: [2, 3],
    dilation: 2,
  }),
  'MaxPool2d ceil, padding': one(img, 'MaxPool2d', {
    kernel_size: 3,
    stride: 2,
    padding: 1,
    ceil_mode: true,
  }),
  'MaxPool2d dilation': one(img, 'MaxPool2d', { kernel_size: 2, stride: 1, dilation: 2 }),
  'MaxPool2d ceil, no padding': one(img, 'MaxPool2d', {
    kernel_size: 3,
    stride: 2,
    ceil_mode: true,
  }),
  'AvgPool2d ceil, exclude pad': one(img, 'AvgPool2d', {
    kernel_size: 3,
    stride: 2,
    padding: 1,
    ceil_mode: true,
    count_include_pad: false,
  }),
  'AvgPool2d ceil, include pad': one(img, 'AvgPool2d', {
    kernel_size: 3,
    stride: 2,
    padding: 1,
    ceil_mode: true,
  }),
  'AvgPool2d k2': one(img, 'AvgPool2d', { kernel_size: 2 }),
  'AdaptiveAvgPool2d 1': one(img, 'AdaptiveAvgPool2d', { output_size: 1 }),
  'AdaptiveAvgPool2d even windows': one([4, 8, 12], 'AdaptiveAvgPool2d', { output_size: [4, 3] }),
  'AdaptiveMaxPool2d 1': one(img, 'AdaptiveMaxPool2d', { output_size: 1 }),
  'AdaptiveMaxPool2d even windows': one([4, 8, 12], 'AdaptiveMaxPool2d', {
    output_size: [2, null],
  }),
  BatchNorm2d: one(img, 'BatchNorm2d', { eps: 0.001 }),
  'BatchNorm2d no affine': one(img, 'BatchNorm2d', { affine: false }),
  'BatchNorm1d flat': one([7], 'BatchNorm1d'),
  'BatchNorm1d sequence': one([4, 9], 'BatchNorm1d'),
  ReLU: one(img, 'ReLU'),
  ReLU6: one(img, 'ReLU6'),
  LeakyReLU: one(img, 'LeakyReLU', { negative_slope: 0.2 }),
  ELU: one(img, 'ELU', { alpha: 0.5 }),
  GELU: one(img, 'GELU'),
  'GELU tanh': one(img, 'GELU', { approximate: 'tanh' }),
  SiLU: one(img, 'SiLU'),
  Hardswish: one(img, 'Hardswish'),
  Sigmoid: one(img, 'Sigmoid'),
  Tanh: one(img, 'Tanh'),
  'Softmax dim 1': one(img, 'Softmax'),
  'Softmax dim -1': one(img, 'Softmax', { dim: -1 }),
  LogSoftmax: one([10], 'LogSoftmax'),
  Dropout: one(img, 'Dropout', { p: 0.3 }),
  Dropout2d: one(img, 'Dropout2d'),
  Identity: one(img, 'Identity'),
  Flatten: one(img, 'Flatten'),
  'Flatten start_dim 2': one(img, 'Flatten', { start_dim: 2 }),
  Linear: one([12], 'Linear', { out_features: 5 }),
  'Linear on a sequence, no bias': one([9, 11], 'Linear', { out_features: 4, bias: false }),
  'Upsample nearest ×2': one(img, 'Upsample', { scale_factor: 2 }),
  'Upsample nearest to size': one(img, 'Upsample', { size: [13, 17] }),
  'Upsample bilinear ×2': one(img, 'Upsample', { scale_factor: 2, mode: 'bilinear' }),
  'Upsample bilinear align_corners to size': one(img, 'Upsample', {
    size: [13, 17],
    mode: 'bilinear',
    align_corners: true,
  }),
  'Upsample bicubic ×2': one(img, 'Upsample', { scale_factor: 2, mode: 'bicubic' }),
  'Upsample nearest-exact ×1.5': one(img, 'Upsample', { scale_factor: 1.5, mode: 'nearest-exact' }),
  PixelShuffle: one([8, 5, 6], 'PixelShuffle', { upscale_factor: 2 }),
  ZeroPad2d: one(img, 'ZeroPad2d', { padding: [1, 2, 0, 3] }),
  'ZeroPad2d cropping': one(img, 'ZeroPad2d', { padding: [1, -1, 2, -2] }),
  'Add of two branches': graph(
    [
      ['input', 'Input', { shape: img }],
      ['a', 'Conv2d', { out_channels: 4, kernel_size: 1 }],
      ['b', 'Tanh'],
      ['sum', 'Add'],
    ],
    ['input->a', 'input->b', 'a->sum:0', 'b->sum:1'],
  ),
  'Concat channels and width': graph(
    [
      ['input', 'Input', { shape: img }],
      ['a', 'Conv2d', { out_channels: 2, kernel_size: 1 }],
      ['cat', 'Concat'],
      ['cat3', 'Concat', { dim: 3 }],
    ],
    ['input->a', 'a->cat:0', 'input->cat:1', 'cat->cat3:0', 'cat->cat3:1'],
  ),
};
