import { line, axisLines } from '../graph/traceLines.js';
import { effectiveKernel, samePadding, windowOutput } from '../math/convArithmetic.js';
import { bool, int, oneOf, pair, padding } from '../params/paramSpec.js';
import { extras, sizeText, stepText } from '../format/labelText.js';
import type { Pair, Shape } from '../shape.js';
import { kernelTooLarge, requireSpatial } from './checks.js';
import { defineLayer, fail, type LayerContext } from './LayerDefinition.js';
import { countTensors, weightAndBias } from './tensors.js';

const params = {
  out_channels: int({ min: 1, description: 'Number of filters, i.e. channels of the output.' }),
  kernel_size: pair({ min: 1, description: 'Height and width of each filter.' }),
  stride: pair({ min: 1, default: 1, description: 'Step between neighbouring windows.' }),
  padding: padding({
    default: 0,
    description: 'Zeros added on each side; "same" keeps H and W (stride 1 only).',
  }),
  dilation: pair({
    min: 1,
    default: 1,
    advanced: true,
    description: 'Spacing between kernel taps.',
  }),
  groups: int({
    min: 1,
    default: 1,
    advanced: true,
    description: 'Split channels into independent groups (in_channels for depthwise).',
  }),
  bias: bool({ default: true, description: 'Learn an additive bias per output channel.' }),
  padding_mode: oneOf({
    options: ['zeros', 'reflect', 'replicate', 'circular'],
    default: 'zeros',
    advanced: true,
    description: 'How the border is filled.',
  }),
} as const;

type Ctx = LayerContext<{
  readonly stride: Pair;
  readonly padding: Pair | 'same';
  readonly kernel_size: Pair;
  readonly dilation: Pair;
}>;

/** Top/left padding per axis, resolving "same" as PyTorch does. */
export function resolvedPadding(ctx: Ctx): Pair {
  const { padding: p, kernel_size: k, dilation: d } = ctx.params;
  if (p !== 'same') return p;
  return [samePadding(k[0], d[0]).before, samePadding(k[1], d[1]).before];
}

/** The params a convolution's tensors depend on (Conv2d and ConvTranspose2d alike). */
export interface ConvWeightParams {
  readonly out_channels: number;
  readonly kernel_size: Pair;
  readonly groups: number;
  readonly bias: boolean;
}

/**
 * torch `_ConvNd`: weight [C_out, C_in/groups, k_h, k_w], bias [C_out]; fan_in = weight.size(1)·k_h·k_w
 * (`init._calculate_fan_in_and_fan_out`).
 */
export function conv2dTensors(p: ConvWeightParams, input: Shape) {
  const [kh, kw] = p.kernel_size;
  const perGroup = (input[0] ?? 0) / p.groups;
  return weightAndBias(
    [p.out_channels, perGroup, kh, kw],
    perGroup * kh * kw,
    p.bias,
    p.out_channels,
  );
}

/** The params a conv's labels read (Conv2d and ConvTranspose2d). */
interface ConvLabelParams {
  readonly out_channels: number;
  readonly kernel_size: Pair;
  readonly stride: Pair;
  readonly padding: Pair | 'same';
  readonly dilation: Pair;
  readonly groups: number;
  readonly bias: boolean;
}

/** `64 @ 7×7 · s 2 · pad 3 · no bias`: channels @ kernel, then what differs from the defaults. */
export function convKeyParams(p: ConvLabelParams): string {
  return [
    `${p.out_channels} @ ${sizeText(p.kernel_size)}`,
    ...extras([
      ['s', stepText(p.stride), '1'],
      ['pad', p.padding === 'same' ? p.padding : stepText(p.padding), '0'],
      ['dil', stepText(p.dilation), '1'],
      ['g', String(p.groups), '1'],
    ]),
    ...(p.bias ? [] : ['no bias']),
  ].join(' · ');
}

/** `Conv2d 5×5·6`: type, kernel and width. */
export const convChip =
  (type: string) =>
  (p: ConvLabelParams): string =>
    `${type} ${sizeText(p.kernel_size)}·${p.out_channels}`;

export const Conv2d = defineLayer({
  type: 'Conv2d',
  category: 'Convolution',
  idStem: 'conv',
  starter: { out_channels: 16, kernel_size: 3 },
  summary: 'Slides learned filters over a C×H×W feature map.',
  explanation:
    'Each of the out_channels filters spans (in_channels/groups)×k_h×k_w inputs and slides with the ' +
    'given stride. H_out = ⌊(H + 2·padding − dilation·(k−1) − 1)/stride⌋ + 1. ' +
    'Parameters: k_h·k_w·(C_in/groups)·C_out weights + C_out biases. ' +
    'Receptive field grows by (k_eff−1)·jump and the jump multiplies by the stride.',
  params,
  weighted: true,
  inputs: { min: 1, max: 1 },
  keyParams: convKeyParams,
  chip: convChip('Conv2d'),
  inferred: { name: 'in_channels', from: (s) => s[0] },
  shape(ctx) {
    const [c, h, w] = requireSpatial(ctx);
    const { out_channels: out, kernel_size: k, stride: s, dilation: d, groups: g } = ctx.params;
    if (c % g !== 0 || out % g !== 0) {
      fail(
        'invalid-groups',
        `${ctx.title}: groups=${g} must divide both in_channels (${c}) and out_channels (${out}).`,
      );
    }
    if (ctx.params.padding === 'same') {
      if (s[0] !== 1 || s[1] !== 1) {
        const value = [
          Math.floor(effectiveKernel(k[0], d[0]) / 2),
          Math.floor(effectiveKernel(k[1], d[1]) / 2),
        ];
        fail(
          'same-padding-stride',
          `${ctx.title}: padding="same" is not supported with stride ${s.join('×')} (PyTorch ` +
            `rejects it). Use an explicit padding such as ${value.join('×')}.`,
          {
            kind: 'set-param',
            description: `Set padding to [${value.join(', ')}]`,
            node: ctx.node,
            param: 'padding',
            value: value[0] === value[1] ? (value[0] ?? 0) : value,
          },
        );
      }
      const ph = samePadding(k[0], d[0]);
      const pw = samePadding(k[1], d[1]);
      return {
        shape: [out, h, w],
        trace: [
          line('shape', 'C_out', 'out_channels', out),
          line(
            'shape',
            'H_out',
            `H_in (padding "same": ${ph.before} before, ${ph.after} after)`,
            h,
          ),
          line(
            'shape',
            'W_out',
            `W_in (padding "same": ${pw.before} before, ${pw.after} after)`,
            w,
          ),
        ],
      };
    }
    const p = ctx.params.padding;
    if (
      ctx.params.padding_mode !== 'zeros' &&
      (p[0] >= h || p[1] >= w) &&
      ctx.params.padding_mode !== 'circular'
    ) {
      fail(
        'invalid-value',
        `${ctx.title}: padding_mode "${ctx.params.padding_mode}" needs padding smaller than the input ` +
          `(${p.join('×')} vs ${h}×${w}).`,
      );
    }
    const eh = effectiveKernel(k[0], d[0]);
    const ew = effectiveKernel(k[1], d[1]);
    if (eh > h + 2 * p[0]) kernelTooLarge(ctx, 'height', h, p[0], eh);
    if (ew > w + 2 * p[1]) kernelTooLarge(ctx, 'width', w, p[1], ew);
    const oh = windowOutput(h, k[0], s[0], p[0], d[0]);
    const ow = windowOutput(w, k[1], s[1], p[1], d[1]);
    return {
      shape: [out, oh.value, ow.value],
      trace: [
        line('shape', 'C_out', 'out_channels', out),
        ...axisLines('shape', ['H_out', 'W_out'], oh, ow),
      ],
    };
  },
  tensors: conv2dTensors,
  paramCount(ctx) {
    const cin = ctx.input[0] ?? 0;
    const { out_channels: out, kernel_size: k, groups: g, bias } = ctx.params;
    const { weights } = countTensors(conv2dTensors(ctx.params, ctx.input));
    const cinText = g === 1 ? `${cin}` : `(${cin}/${g})`;
    return {
      weights,
      buffers: 0,
      bufferBytes: 0,
      trace: [
        line(
          'params',
          'params',
          `${k[0]}·${k[1]}·${cinText}·${out}${bias ? ` + ${out}` : ''}`,
          weights,
        ),
      ],
    };
  },
  macs(ctx, output) {
    const cin = ctx.input[0] ?? 0;
    const { kernel_size: k, groups: g } = ctx.params;
    const [co = 0, ho = 0, wo = 0] = output;
    const macs = co * ho * wo * (cin / g) * k[0] * k[1];
    const cinText = g === 1 ? `${cin}` : `(${cin}/${g})`;
    return {
      macs,
      trace: [line('macs', 'MACs', `${co}·${ho}·${wo}·${cinText}·${k[0]}·${k[1]}`, macs)],
    };
  },
  receptiveField(ctx) {
    return {
      kind: 'window',
      kernel: ctx.params.kernel_size,
      stride: ctx.params.stride,
      padding: resolvedPadding(ctx),
      dilation: ctx.params.dilation,
    };
  },
});
