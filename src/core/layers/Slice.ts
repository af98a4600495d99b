import { line } from '../graph/traceLines.js';
import { int } from '../params/paramSpec.js';
import { formatShape } from '../shape.js';
import { setParamFix } from './checks.js';
import { defineLayer, fail, identityField, noMacs, noParams } from './LayerDefinition.js';

export const Slice = defineLayer({
  type: 'Slice',
  category: 'Linear/Reshape',
  starter: { start: 0, end: 1 },
  summary: 'Keeps channels start…end−1 (x[:, start:end]): one branch of a split.',
  explanation:
    'x[:, start:end]: keeps the channels (or, on a flat input, the features) from start up to ' +
    'but not including end, so C_out = end − start. Several Slices reading one layer split it ' +
    'into branches, as torch.chunk and torch.split do (ShuffleNet v2 sends half of the channels ' +
    'through a branch and passes the other half on; ONNX Split and Slice). No parameters, no ' +
    'MACs; each output unit sees what its input channel saw.',
  params: {
    start: int({ min: 0, description: 'First channel kept (counting from 0).' }),
    end: int({ min: 1, description: 'One past the last channel kept: C_out = end − start.' }),
  },
  keyParams: (p) => `[${p.start}:${p.end}]`,
  chip: (p) => `Slice ${p.start}:${p.end}`,
  inputs: { min: 1, max: 1 },
  shape(ctx) {
    const s = ctx.input;
    const c = s[0] ?? 0;
    const { start, end } = ctx.params;
    if (s.length !== 1 && s.length !== 3) {
      fail(
        'wrong-rank',
        `${ctx.title} slices the channels of a C×H×W map or the features of a flat vector, but ` +
          `receives ${formatShape(s)}.`,
      );
    }
    const what = s.length === 1 ? 'features' : 'channels';
    if (end > c) {
      fail(
        'invalid-value',
        `${ctx.title}: end=${end} is past the ${c} ${what} of its ${formatShape(s)} input. ` +
          `Set end to at most ${c}.`,
        setParamFix(ctx, 'end', c),
      );
    }
    if (start >= end) {
      fail(
        'invalid-value',
        `${ctx.title}: start=${start} is not before end=${end}, so it would keep no ${what}. ` +
          `Set start below ${end}.`,
        setParamFix(ctx, 'start', Math.max(0, end - 1)),
      );
    }
    const shape = [end - start, ...s.slice(1)];
    return {
      shape,
      trace: [
        line('shape', s.length === 1 ? 'F_out' : 'C_out', `${end} − ${start}`, end - start),
        line('shape', 'shape', '', formatShape(shape)),
      ],
    };
  },
  paramCount: noParams,
  macs: noMacs,
  receptiveField: identityField,
});
