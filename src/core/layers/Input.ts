import { formatShape } from '../shape.js';
import { line } from '../graph/traceLines.js';
import { shapeParam } from '../params/paramSpec.js';
import { defineLayer, identityField, noMacs, noParams } from './LayerDefinition.js';

export const Input = defineLayer({
  type: 'Input',
  category: 'Input',
  starter: { shape: [1, 28, 28] },
  summary: 'The network input: one sample, without the batch axis.',
  explanation:
    'Shapes follow PyTorch: C×H×W for images (1×28×28 for MNIST digits, 3×224×224 for ImageNet) ' +
    'or F for flat feature vectors. The batch axis is left out everywhere.',
  params: {
    shape: shapeParam({
      default: [1, 28, 28],
      description: 'C, H, W of one sample (or F when flat).',
    }),
  },
  inputs: { min: 0, max: 0 },
  keyParams: (p) => p.shape.join('×'),
  shape(ctx) {
    const shape = ctx.params.shape;
    return { shape, trace: [line('shape', 'shape', '', formatShape(shape))] };
  },
  paramCount: noParams,
  macs: noMacs,
  receptiveField: identityField,
});
