import { axisLines, line } from '../graph/traceLines.js';
import { oneOf, optionalBool, optionalFloatPair, optionalIntPair } from '../params/paramSpec.js';
import { requireSpatial, setParamFix } from './checks.js';
import { defineLayer, fail, noMacs, noParams } from './LayerDefinition.js';

/** Input pixels beyond the nearest one that each output pixel interpolates from, per axis. */
const NEIGHBOURS = { nearest: 0, 'nearest-exact': 0, bilinear: 1, bicubic: 3 } as const;

export const Upsample = defineLayer({
  type: 'Upsample',
  category: 'Linear/Reshape',
  starter: { scale_factor: 2 },
  summary: 'Resizes a C×H×W map by a scale_factor or to a fixed size, without parameters.',
  explanation:
    'Give exactly one of size (H_out, W_out) or scale_factor: then H_out = ⌊H·scale_factor⌋, as ' +
    'PyTorch computes it. mode picks how new pixels are filled: nearest copies, bilinear blends ' +
    'the 2×2 and bicubic the 4×4 nearest inputs (align_corners applies to these two only). No ' +
    'parameters; the receptive-field jump divides by the scale.',
  params: {
    size: optionalIntPair({
      description: 'Output H and W (an int for both); null when scale_factor is set.',
    }),
    scale_factor: optionalFloatPair({
      description: 'Multiplier of H and W; null when size is set.',
    }),
    mode: oneOf({
      options: ['nearest', 'bilinear', 'bicubic', 'nearest-exact'],
      default: 'nearest',
      description: 'How output pixels are computed from the input.',
    }),
    align_corners: optionalBool({
      advanced: true,
      description: 'bilinear/bicubic only: align the corner pixels of input and output.',
    }),
  },
  inputs: { min: 1, max: 1 },
  shape(ctx) {
    const [c, h, w] = requireSpatial(ctx);
    const { size, scale_factor: scale, mode, align_corners: align } = ctx.params;
    if (size !== null && scale !== null) {
      fail(
        'invalid-value',
        `${ctx.title} has both size ${size.join('×')} and scale_factor ${scale.join('×')}; PyTorch ` +
          'takes only one ("only one of size or scale_factor should be defined"). Clear one of them.',
        setParamFix(ctx, 'scale_factor', null),
      );
    }
    if (align !== null && (mode === 'nearest' || mode === 'nearest-exact')) {
      fail(
        'invalid-value',
        `${ctx.title}: align_corners=${String(align)} only applies to mode "bilinear" or "bicubic", ` +
          `not "${mode}" (PyTorch rejects it). Set align_corners to null or change the mode.`,
        setParamFix(ctx, 'align_corners', null),
      );
    }
    const channels = line('shape', 'C_out', 'C_in', c);
    if (size !== null) {
      const oh = { expression: 'size', value: size[0] };
      const ow = { expression: 'size', value: size[1] };
      return {
        shape: [c, size[0], size[1]],
        trace: [channels, ...axisLines('shape', ['H_out', 'W_out'], oh, ow)],
      };
    }
    if (scale === null) {
      fail(
        'missing-param',
        `${ctx.title} needs size or scale_factor (PyTorch: "either size or scale_factor should be ` +
          'defined"). For example scale_factor=2 doubles H and W.',
        setParamFix(ctx, 'scale_factor', 2),
      );
    }
    const oh = { expression: `⌊${h}·${scale[0]}⌋`, value: Math.floor(h * scale[0]) };
    const ow = { expression: `⌊${w}·${scale[1]}⌋`, value: Math.floor(w * scale[1]) };
    return {
      shape: [c, oh.value, ow.value],
      trace: [channels, ...axisLines('shape', ['H_out', 'W_out'], oh, ow)],
    };
  },
  paramCount: noParams,
  macs: noMacs,
  receptiveField(ctx, output) {
    const n = NEIGHBOURS[ctx.params.mode];
    // Given a scale_factor, PyTorch maps output pixel i to input i/scale_factor (not i·H/H_out).
    const factor = ctx.params.scale_factor ?? [
      (output[1] ?? 1) / (ctx.input[1] ?? 1),
      (output[2] ?? 1) / (ctx.input[2] ?? 1),
    ];
    return { kind: 'upsample', factor, extent: [n, n] };
  },
});
