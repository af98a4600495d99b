import { line } from '../graph/traceLines.js';
import { int } from '../params/paramSpec.js';
import { formatShape } from '../shape.js';
import { requireSpatial, setParamFix } from './checks.js';
import { defineLayer, fail, identityField, noMacs, noParams } from './LayerDefinition.js';

/** The divisor of `c` nearest to `g` (at least 1): what a fix can set groups to. */
function nearestDivisor(c: number, g: number): number {
  let best = 1;
  for (let d = 1; d <= c; d++) if (c % d === 0 && Math.abs(d - g) < Math.abs(best - g)) best = d;
  return best;
}

export const ChannelShuffle = defineLayer({
  type: 'ChannelShuffle',
  category: 'Linear/Reshape',
  idStem: 'shuffle',
  starter: { groups: 2 },
  summary: 'Interleaves the channels of g groups, so grouped convolutions mix information.',
  explanation:
    'Splits the C channels into g groups of C/g, then reads them group by group in turn: output ' +
    'channel i·g + j is input channel j·(C/g) + i (torch.nn.ChannelShuffle; a reshape to ' +
    'g×(C/g)×H×W, a transpose of the first two dims and a reshape back). ShuffleNet (Zhang et ' +
    'al., 2018; Ma et al., 2018) puts it after grouped or split branches so that the next group ' +
    'sees channels from every group. The shape is unchanged, C must be divisible by g; no ' +
    'parameters, no MACs, and each output unit sees what its input channel saw.',
  params: {
    groups: int({ min: 1, description: 'g: how many groups the channels are interleaved from.' }),
  },
  keyParams: (p) => `g ${p.groups}`,
  chip: (p) => `Shuffle ·${p.groups}`,
  inputs: { min: 1, max: 1 },
  shape(ctx) {
    const [c] = requireSpatial(ctx);
    const g = ctx.params.groups;
    if (c % g !== 0) {
      const fix = nearestDivisor(c, g);
      fail(
        'invalid-value',
        `${ctx.title}: ${c} channels cannot be split into groups=${g} equal groups (${c}/${g} is ` +
          `not whole). Use a groups value that divides ${c}, e.g. ${fix}, or change the channels ` +
          'of the layer before it.',
        setParamFix(ctx, 'groups', fix),
      );
    }
    return {
      shape: ctx.input,
      trace: [
        line('shape', 'C/g', `${c}/${g}`, c / g),
        line('shape', 'shape', '', `${formatShape(ctx.input)} (channels reordered)`),
      ],
    };
  },
  paramCount: noParams,
  macs: noMacs,
  receptiveField: identityField,
});
