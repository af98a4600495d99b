import { axisLines, line } from '../graph/traceLines.js';
import { pad4 } from '../params/paramSpec.js';
import { requireSpatial } from './checks.js';
import { defineLayer, fail, noMacs, noParams } from './LayerDefinition.js';

/** ` + 3`, or ` − 3` for a negative (cropping) pad. */
const signed = (n: number): string => (n < 0 ? ` − ${-n}` : ` + ${n}`);

export const ZeroPad2d = defineLayer({
  type: 'ZeroPad2d',
  category: 'Linear/Reshape',
  starter: { padding: 1 },
  summary: 'Adds rows and columns of zeros around a C×H×W map (negative values crop).',
  explanation:
    'padding is [left, right, top, bottom] (an int pads all four), as nn.ZeroPad2d takes it: ' +
    'H_out = H + top + bottom, W_out = W + left + right. Negative values crop instead. Useful for ' +
    'the asymmetric padding that "same" needs with an even kernel. No parameters.',
  params: {
    padding: pad4({
      description: 'Zeros to add: an int for all sides, or [left, right, top, bottom].',
    }),
  },
  inputs: { min: 1, max: 1 },
  shape(ctx) {
    const [c, h, w] = requireSpatial(ctx);
    const [left, right, top, bottom] = ctx.params.padding;
    const oh = { expression: `${h}${signed(top)}${signed(bottom)}`, value: h + top + bottom };
    const ow = { expression: `${w}${signed(left)}${signed(right)}`, value: w + left + right };
    if (oh.value < 1 || ow.value < 1) {
      fail(
        'non-positive-output',
        `${ctx.title}: padding [${ctx.params.padding.join(', ')}] crops the ${h}×${w} input to ` +
          `${oh.value}×${ow.value}. Crop less (the negative values) so at least one row and column remain.`,
      );
    }
    return {
      shape: [c, oh.value, ow.value],
      trace: [line('shape', 'C_out', 'C_in', c), ...axisLines('shape', ['H_out', 'W_out'], oh, ow)],
    };
  },
  paramCount: noParams,
  macs: noMacs,
  receptiveField: (ctx) => ({
    kind: 'window',
    kernel: [1, 1],
    stride: [1, 1],
    padding: [ctx.params.padding[2], ctx.params.padding[0]],
    dilation: [1, 1],
  }),
});
