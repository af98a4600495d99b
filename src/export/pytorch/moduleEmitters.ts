import type { ParamValue } from '../../core/graph/document.js';
import type { BlockType, LayerType } from '../../core/layers/registry.js';
import type { Shape } from '../../core/shape.js';
import { pyKwargs, pyLiteral } from './pythonSource.js';

/** What an emitter knows of one node. */
export interface EmitNode {
  /** Python attribute / variable name of the node. */
  readonly attr: string;
  /** The params as written in the document (PyTorch fills in its own, identical, defaults). */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly inputShapes: readonly Shape[];
}

/** How one layer type is written in PyTorch: an `nn.Module` constructor and/or a forward expression. */
export interface PyEmitter {
  /** `nn.Conv2d(1, 6, 5, padding=2)`; absent for pure tensor ops (Add, Concat, Input). */
  readonly module?: (n: EmitNode) => string;
  /** The forward expression given the input variables. */
  readonly forward: (n: EmitNode, inputs: readonly string[]) => string;
}

const call = (n: EmitNode, inputs: readonly string[]) => `self.${n.attr}(${inputs[0] ?? ''})`;
const channels = (n: EmitNode) => n.inputShapes[0]?.[0] ?? 0;
const features = (n: EmitNode) => n.inputShapes[0]?.at(-1) ?? 0;
const args = (...parts: (string | undefined)[]) =>
  parts.filter((p) => p !== undefined && p !== '').join(', ');
const INFERRED = ['in_channels', 'in_features', 'num_features'];

/** An `nn.<Type>(**params)` module with the inferred leading arguments first. */
function plain(
  type: string,
  leading: (n: EmitNode) => string[] = () => [],
  positional: readonly string[] = [],
): PyEmitter {
  return {
    module: (n) => {
      const pos = positional
        .filter((k) => k in n.params)
        .map((k) => pyLiteral(n.params[k] ?? null));
      return `nn.${type}(${args(...leading(n), ...pos, ...pyKwargs(n.params, [...positional, ...INFERRED]))})`;
    },
    forward: call,
  };
}

const block = (type: string, first: string): PyEmitter => ({
  module: (n) =>
    `${type}(${args(String(channels(n)), pyLiteral(n.params[first] ?? null), ...pyKwargs(n.params, [first]))})`,
  forward: call,
});

const withDim = (type: string): PyEmitter => ({
  module: (n) => `nn.${type}(dim=${pyLiteral(n.params.dim ?? 1)})`,
  forward: call,
});

/**
 * The PyTorch emitter of every registry type, blocks included (model.py defines their classes).
 * Emitters read the params as written in the document, so they are not typed per layer.
 */
export const PYTORCH_EMITTERS: { readonly [T in LayerType | BlockType]: PyEmitter } = {
  Input: { forward: (n) => n.attr },
  Conv2d: plain('Conv2d', (n) => [String(channels(n))], ['out_channels', 'kernel_size']),
  ConvTranspose2d: plain('ConvTranspose2d', (n) => [String(channels(n))], [
    'out_channels',
    'kernel_size',
  ]),
  MaxPool2d: plain('MaxPool2d', () => [], ['kernel_size']),
  AvgPool2d: plain('AvgPool2d', () => [], ['kernel_size']),
  AdaptiveAvgPool2d: plain('AdaptiveAvgPool2d', () => [], ['output_size']),
  AdaptiveMaxPool2d: plain('AdaptiveMaxPool2d', () => [], ['output_size']),
  BatchNorm2d: plain('BatchNorm2d', (n) => [String(channels(n))]),
  BatchNorm1d: plain('BatchNorm1d', (n) => [String(channels(n))]),
  // nn.LayerNorm((C,)) on the channels-last map, as torchvision's LayerNorm2d.
  LayerNorm2d: {
    module: (n) =>
      `nn.LayerNorm(${args(String(channels(n)), ...pyKwargs(n.params, ['normalized_shape']))})`,
    forward: (n, inputs) =>
      `self.${n.attr}(${inputs[0] ?? ''}.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)`,
  },
  ReLU: plain('ReLU'),
  ReLU6: plain('ReLU6'),
  LeakyReLU: plain('LeakyReLU'),
  ELU: plain('ELU'),
  GELU: plain('GELU'),
  SiLU: plain('SiLU'),
  Hardswish: plain('Hardswish'),
  Hardsigmoid: plain('Hardsigmoid'),
  Sigmoid: plain('Sigmoid'),
  Tanh: plain('Tanh'),
  Softmax: withDim('Softmax'),
  LogSoftmax: withDim('LogSoftmax'),
  Dropout: plain('Dropout'),
  Dropout2d: plain('Dropout2d'),
  Flatten: plain('Flatten'),
  Linear: plain('Linear', (n) => [String(features(n))], ['out_features']),
  Identity: plain('Identity'),
  Upsample: plain('Upsample'),
  PixelShuffle: plain('PixelShuffle', () => [], ['upscale_factor']),
  ZeroPad2d: plain('ZeroPad2d', () => [], ['padding']),
  // nn.ChannelShuffle has no backward in PyTorch 1.13: the reshape-transpose form torchvision uses.
  ChannelShuffle: {
    forward: (n, inputs) => {
      const g = Number(n.params.groups ?? 1);
      const [c = 0, h = 0, w = 0] = n.inputShapes[0] ?? [];
      return `${inputs[0] ?? ''}.reshape(-1, ${g}, ${c / g}, ${h}, ${w}).transpose(1, 2).reshape(-1, ${c}, ${h}, ${w})`;
    },
  },
  Slice: {
    forward: (n, inputs) =>
      `${inputs[0] ?? ''}[:, ${pyLiteral(n.params.start ?? 0)}:${pyLiteral(n.params.end ?? 0)}]`,
  },
  Add: { forward: (_n, inputs) => inputs.join(' + ') },
  Multiply: { forward: (_n, inputs) => inputs.join(' * ') }, // broadcasts N×C×1×1
  Concat: {
    forward: (n, inputs) =>
      `torch.cat((${inputs.join(', ')}), dim=${pyLiteral(n.params.dim ?? 1)})`,
  },
  ResidualBlock: block('ResidualBlock', 'out_channels'),
  Bottleneck: block('Bottleneck', 'planes'),
  SqueezeExcitation: block('SqueezeExcitation', 'squeeze_channels'),
};

/** The emitter of a node type, or undefined for an unknown type. */
export function pytorchEmitterOf(type: string): PyEmitter | undefined {
  if (!Object.hasOwn(PYTORCH_EMITTERS, type)) return undefined;
  const emitters: Readonly<Record<string, PyEmitter>> = PYTORCH_EMITTERS;
  return emitters[type];
}
