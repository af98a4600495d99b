import { axisLines, line } from '../graph/traceLines.js';
import { effectiveKernel, transposedOutput } from '../math/convArithmetic.js';
import { bool, int, oneOf, pair } from '../params/paramSpec.js';
import { pairValue, requireSpatial, setParamFix } from './checks.js';
import { convChip, convKeyParams, type ConvWeightParams } from './Conv2d.js';
import { defineLayer, fail } from './LayerDefinition.js';
import type { Shape } from '../shape.js';
import { countTensors, weightAndBias } from './tensors.js';

/**
 * torch `_ConvNd` with transposed=True: weight [C_in, C_out/groups, k_h, k_w], bias [C_out];
 * fan_in = weight.size(1)·k_h·k_w = (C_out/groups)·k_h·k_w (`init._calculate_fan_in_and_fan_out`).
 */
export function convTranspose2dTensors(p: ConvWeightParams, input: Shape) {
  const [kh, kw] = p.kernel_size;
  const perGroup = p.out_channels / p.groups;
  return weightAndBias(
    [input[0] ?? 0, perGroup, kh, kw],
    perGroup * kh * kw,
    p.bias,
    p.out_channels,
  );
}

const params = {
  out_channels: int({ min: 1, description: 'Number of filters, i.e. channels of the output.' }),
  kernel_size: pair({ min: 1, description: 'Height and width of each filter.' }),
  stride: pair({
    min: 1,
    default: 1,
    description: 'Upsampling factor: output pixels per input pixel.',
  }),
  padding: pair({
    min: 0,
    default: 0,
    description: 'Rows and columns removed from each side of the full output.',
  }),
  output_padding: pair({
    min: 0,
    default: 0,
    advanced: true,
    description: 'Extra rows/columns on the bottom/right, to pick among output sizes (< stride).',
  }),
  groups: int({
    min: 1,
    default: 1,
    advanced: true,
    description: 'Split channels into independent groups.',
  }),
  bias: bool({ default: true, description: 'Learn an additive bias per output channel.' }),
  dilation: pair({
    min: 1,
    default: 1,
    advanced: true,
    description: 'Spacing between kernel taps.',
  }),
  padding_mode: oneOf({
    options: ['zeros'],
    default: 'zeros',
    advanced: true,
    description: 'PyTorch supports only "zeros" for transposed convolutions.',
  }),
} as const;

export const ConvTranspose2d = defineLayer({
  type: 'ConvTranspose2d',
  category: 'Convolution',
  idStem: 'deconv',
  starter: { out_channels: 16, kernel_size: 2, stride: 2 },
  summary: 'Learned upsampling: the gradient of a Conv2d, often called "deconvolution".',
  explanation:
    'Every input pixel scatters a (C_out/groups)×k_h×k_w patch, scaled by its value, into an ' +
    'output spaced stride apart. H_out = (H−1)·stride − 2·padding + dilation·(k−1) + output_padding + 1; ' +
    'output_padding must be smaller than stride or dilation. Parameters: C_in·(C_out/groups)·k_h·k_w ' +
    'weights + C_out biases. MACs count every weight use: C_in·H_in·W_in·(C_out/groups)·k_h·k_w ' +
    '(as fvcore counts transposed convolutions). Receptive field: the jump divides by the stride.',
  params,
  weighted: true,
  inputs: { min: 1, max: 1 },
  keyParams: convKeyParams,
  chip: convChip('ConvTranspose2d'),
  inferred: { name: 'in_channels', from: (s) => s[0] },
  shape(ctx) {
    const [c, h, w] = requireSpatial(ctx);
    const {
      out_channels: out,
      kernel_size: k,
      stride: s,
      padding: p,
      dilation: d,
      groups: g,
    } = ctx.params;
    const op = ctx.params.output_padding;
    if (c % g !== 0 || out % g !== 0) {
      fail(
        'invalid-groups',
        `${ctx.title}: groups=${g} must divide both in_channels (${c}) and out_channels (${out}).`,
      );
    }
    // aten slow_conv_transpose2d_shape_check: "output padding must be smaller than either stride or dilation".
    const limit = [Math.max(s[0], d[0]), Math.max(s[1], d[1])] as const;
    if (op[0] >= limit[0] || op[1] >= limit[1]) {
      const fixed = [Math.min(op[0], limit[0] - 1), Math.min(op[1], limit[1] - 1)] as const;
      fail(
        'invalid-value',
        `${ctx.title}: output_padding ${op.join('×')} must be smaller than stride ${s.join('×')} or ` +
          `dilation ${d.join('×')} on each axis (PyTorch rejects it). Use output_padding ` +
          `${fixed.join('×')} or a larger stride.`,
        setParamFix(ctx, 'output_padding', pairValue(fixed)),
      );
    }
    const oh = transposedOutput(h, k[0], s[0], p[0], d[0], op[0]);
    const ow = transposedOutput(w, k[1], s[1], p[1], d[1], op[1]);
    return {
      shape: [out, oh.value, ow.value],
      trace: [
        line('shape', 'C_out', 'out_channels', out),
        ...axisLines('shape', ['H_out', 'W_out'], oh, ow),
      ],
    };
  },
  tensors: convTranspose2dTensors,
  paramCount(ctx) {
    const cin = ctx.input[0] ?? 0;
    const { out_channels: out, kernel_size: k, groups: g, bias } = ctx.params;
    const { weights } = countTensors(convTranspose2dTensors(ctx.params, ctx.input));
    const coutText = g === 1 ? `${out}` : `(${out}/${g})`;
    return {
      weights,
      buffers: 0,
      bufferBytes: 0,
      trace: [
        line(
          'params',
          'params',
          `${cin}·${coutText}·${k[0]}·${k[1]}${bias ? ` + ${out}` : ''}`,
          weights,
        ),
      ],
    };
  },
  macs(ctx) {
    const [cin = 0, h = 0, w = 0] = ctx.input;
    const { out_channels: out, kernel_size: k, groups: g } = ctx.params;
    const macs = cin * h * w * (out / g) * k[0] * k[1];
    const coutText = g === 1 ? `${out}` : `(${out}/${g})`;
    return {
      macs,
      trace: [line('macs', 'MACs', `${cin}·${h}·${w}·${coutText}·${k[0]}·${k[1]}`, macs)],
    };
  },
  receptiveField(ctx) {
    const { kernel_size: k, stride: s, dilation: d, padding: p } = ctx.params;
    // Output o gathers inputs i with o = i·s − p + d·t (t < k): i spans (k_eff−1)/s input pixels,
    // centred at (p − (k_eff−1)/2)/s for o = 0.
    const ke = [effectiveKernel(k[0], d[0]), effectiveKernel(k[1], d[1])] as const;
    return {
      kind: 'upsample',
      factor: s,
      extent: [(ke[0] - 1) / s[0], (ke[1] - 1) / s[1]],
      offset: [(p[0] - (ke[0] - 1) / 2) / s[0], (p[1] - (ke[1] - 1) / 2) / s[1]],
    };
  },
});
