import { formatShape } from '../shape.js';
import { batchNormCount, batchNormParams, batchNormTensors } from './batchNorm.js';
import { unchangedShape } from './elementwise.js';
import { defineLayer, fail, identityField, noMacs } from './LayerDefinition.js';

export const BatchNorm1d = defineLayer({
  type: 'BatchNorm1d',
  category: 'Normalization',
  idStem: 'bn',
  summary:
    'Normalizes each feature (F) or channel (C×L) over the batch, then scales and shifts it.',
  explanation:
    'For an F input each feature, for a C×L input each channel over its L positions, is normalized ' +
    'with the batch mean and variance (running averages at evaluation), then scaled and shifted ' +
    'by learned weight and bias. Parameters: 2·C when affine; buffers running_mean, running_var ' +
    '(C each) and num_batches_tracked. Shape unchanged; num_features = C (or F).',
  params: batchNormParams,
  inputs: { min: 1, max: 1 },
  inferred: { name: 'num_features', from: (s) => s[0] },
  shape(ctx) {
    if (ctx.input.length !== 1 && ctx.input.length !== 2) {
      fail(
        'wrong-rank',
        `${ctx.title} expects an F or C×L input but receives ${formatShape(ctx.input)}. ` +
          (ctx.input.length === 3
            ? 'Use BatchNorm2d for C×H×W feature maps, or put Flatten before it.'
            : 'Reshape the input first.'),
      );
    }
    return unchangedShape(ctx.input);
  },
  tensors: batchNormTensors,
  paramCount: batchNormCount,
  macs: noMacs,
  receptiveField: identityField,
});
