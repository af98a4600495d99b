import { line } from '../graph/traceLines.js';
import { bool, float } from '../params/paramSpec.js';
import type { Shape } from '../shape.js';
import type { TensorSpec } from '../weights/StateDict.js';
import { requireSpatial } from './checks.js';
import { unchangedShape } from './elementwise.js';
import { defineLayer, identityField, noMacs } from './LayerDefinition.js';
import { countTensors } from './tensors.js';

interface LayerNormFlags {
  readonly elementwise_affine: boolean;
}

/** torch nn.LayerNorm((C,)): weight 1 and bias 0 [C] when elementwise_affine. */
export function layerNormTensors(p: LayerNormFlags, input: Shape): TensorSpec[] {
  const c = input[0] ?? 0;
  if (!p.elementwise_affine) return [];
  return [
    { name: 'weight', shape: [c], role: 'bn-weight', fanIn: c, trainable: true },
    { name: 'bias', shape: [c], role: 'bn-bias', fanIn: c, trainable: true },
  ];
}

export const LayerNorm2d = defineLayer({
  type: 'LayerNorm2d',
  category: 'Normalization',
  idStem: 'ln',
  summary: 'Normalizes the C channels at each pixel of each sample, then scales and shifts them.',
  explanation:
    'At every position (h, w) of every sample, the C channel values are normalized with their own ' +
    'mean and (biased) variance — no batch statistics, so it acts the same in training and ' +
    'evaluation and with a batch of one — then multiplied by a learned weight and shifted by a ' +
    'learned bias per channel (Ba et al., 2016). This is torchvision’s LayerNorm2d, ConvNeXt’s ' +
    'normalization (Liu et al., 2022): nn.LayerNorm(C) applied to the channels-last map. ' +
    'Parameters: 2·C when elementwise_affine; no buffers. Shape unchanged.',
  params: {
    eps: float({
      default: 1e-5,
      min: 0,
      advanced: true,
      description: 'Added to the variance for stability (ConvNeXt uses 1e-6).',
    }),
    elementwise_affine: bool({
      default: true,
      description: 'Learn a scale (weight) and shift (bias) per channel.',
    }),
  },
  inputs: { min: 1, max: 1 },
  inferred: { name: 'normalized_shape', from: (s) => s[0] },
  shape(ctx) {
    requireSpatial(ctx);
    return unchangedShape(ctx.input);
  },
  tensors: layerNormTensors,
  paramCount(ctx) {
    const c = ctx.input[0] ?? 0;
    const { weights } = countTensors(layerNormTensors(ctx.params, ctx.input));
    return {
      weights,
      buffers: 0,
      bufferBytes: 0,
      trace: [
        ctx.params.elementwise_affine
          ? line('params', 'params', `2·${c} (weight, bias)`, weights)
          : line('params', 'params', '', '0 (elementwise_affine=false)'),
      ],
    };
  },
  macs: noMacs,
  receptiveField: identityField,
});
