import { sizePair } from '../params/paramSpec.js';
import {
  adaptiveChip,
  adaptiveKeyParams,
  adaptivePoolField,
  adaptivePoolShape,
} from './adaptivePool.js';
import { defineLayer, noMacs, noParams } from './LayerDefinition.js';

export const AdaptiveAvgPool2d = defineLayer({
  type: 'AdaptiveAvgPool2d',
  category: 'Pooling',
  idStem: 'gap',
  starter: { output_size: 1 },
  summary: 'Averages each channel down to a fixed output_size, whatever the input size.',
  explanation:
    'Output cell i averages input rows ⌊i·H/H_out⌋ to ⌈(i+1)·H/H_out⌉ − 1 (and likewise for ' +
    'columns), so any H×W becomes output_size; when H_out divides H this is AvgPool2d with ' +
    'kernel = stride = H/H_out. output_size=1 is global average pooling (ResNet before its ' +
    'classifier); null keeps that input dimension. Channels unchanged, no parameters.',
  params: {
    output_size: sizePair({
      description: 'H_out and W_out (an int for both); null keeps the input size.',
    }),
  },
  inputs: { min: 1, max: 1 },
  keyParams: adaptiveKeyParams,
  chip: adaptiveChip('AdaptiveAvgPool2d', 'Global avg pool'),
  shape: adaptivePoolShape,
  paramCount: noParams,
  macs: noMacs,
  receptiveField: adaptivePoolField,
});
