import { formatShape } from '../shape.js';
import { batchNormCount, batchNormParams, batchNormTensors } from './batchNorm.js';
import { unchangedShape } from './elementwise.js';
import { defineLayer, fail, identityField, noMacs } from './LayerDefinition.js';

export const BatchNorm2d = defineLayer({
  type: 'BatchNorm2d',
  category: 'Normalization',
  idStem: 'bn',
  summary: 'Normalizes each channel of a C×H×W map over the batch, then scales and shifts it.',
  explanation:
    'Each channel is normalized with the mean and variance over the batch and all H×W positions ' +
    '(running averages at evaluation), then multiplied by a learned weight and shifted by a learned ' +
    'bias (Ioffe & Szegedy, 2015). Parameters: 2·C when affine. Buffers: running_mean and ' +
    'running_var (C each) plus the int64 num_batches_tracked. Shape unchanged; num_features = C.',
  params: batchNormParams,
  inputs: { min: 1, max: 1 },
  inferred: { name: 'num_features', from: (s) => s[0] },
  shape(ctx) {
    if (ctx.input.length !== 3) {
      fail(
        'wrong-rank',
        `${ctx.title} expects a C×H×W feature map but receives ${formatShape(ctx.input)}. ` +
          (ctx.input.length <= 2
            ? 'Use BatchNorm1d for flat (F) or sequence (C×L) inputs.'
            : 'Reshape the input to C×H×W first.'),
      );
    }
    return unchangedShape(ctx.input);
  },
  tensors: batchNormTensors,
  paramCount: batchNormCount,
  macs: noMacs,
  receptiveField: identityField,
});
