import { axisLines, line } from '../graph/traceLines.js';
import { int } from '../params/paramSpec.js';
import { requireSpatial } from './checks.js';
import { defineLayer, fail, noMacs, noParams } from './LayerDefinition.js';

export const PixelShuffle = defineLayer({
  type: 'PixelShuffle',
  category: 'Linear/Reshape',
  starter: { upscale_factor: 2 },
  summary: 'Rearranges C·r²×H×W into C×(H·r)×(W·r): sub-pixel upsampling.',
  explanation:
    'Each group of r² channels becomes one r×r block of output pixels (Shi et al., 2016), so a ' +
    'preceding conv learns the upsampling. Output: C/r² × H·r × W·r; C must be divisible by r². ' +
    'No parameters; each output pixel comes from exactly one input pixel.',
  params: {
    upscale_factor: int({ min: 1, description: 'r: how many times H and W grow.' }),
  },
  inputs: { min: 1, max: 1 },
  shape(ctx) {
    const [c, h, w] = requireSpatial(ctx);
    const r = ctx.params.upscale_factor;
    const r2 = r * r;
    if (c % r2 !== 0) {
      fail(
        'invalid-value',
        `${ctx.title}: ${c} channels are not divisible by upscale_factor² = ${r}² = ${r2} (each ` +
          `${r}×${r} output block takes ${r2} channels). Make the layer before it output a multiple ` +
          `of ${r2} channels, e.g. ${Math.max(1, Math.round(c / r2)) * r2}.`,
      );
    }
    const oh = { expression: `${h}·${r}`, value: h * r };
    const ow = { expression: `${w}·${r}`, value: w * r };
    return {
      shape: [c / r2, oh.value, ow.value],
      trace: [
        line('shape', 'C_out', `${c}/${r}²`, c / r2),
        ...axisLines('shape', ['H_out', 'W_out'], oh, ow),
      ],
    };
  },
  paramCount: noParams,
  macs: noMacs,
  receptiveField: (ctx) => ({
    kind: 'upsample',
    factor: [ctx.params.upscale_factor, ctx.params.upscale_factor],
    extent: [0, 0],
  }),
});
