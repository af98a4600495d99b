import { buildBatchNorm, buildLayerNorm2d } from './normBuilders.js';
import { buildConv2d, buildConvTranspose2d } from './convBuilders.js';
import {
  buildDropout,
  buildDropout2d,
  buildELU,
  buildGELU,
  buildHardsigmoid,
  buildHardswish,
  buildIdentity,
  buildLeakyReLU,
  buildLogSoftmax,
  buildReLU,
  buildReLU6,
  buildSiLU,
  buildSigmoid,
  buildSoftmax,
  buildTanh,
} from './elementBuilders.js';
import type { LayerType, Params } from '../../core/layers/registry.js';
import type { BuildArgs, BuiltLayer, LayerBuilder } from './LayerBuilder.js';
import {
  buildAdaptiveAvgPool2d,
  buildAdaptiveMaxPool2d,
  buildAvgPool2d,
  buildMaxPool2d,
} from './poolBuilders.js';
import {
  buildAdd,
  buildChannelShuffle,
  buildConcat,
  buildFlatten,
  buildLinear,
  buildMultiply,
  buildPixelShuffle,
  buildSlice,
  buildUpsample,
  buildZeroPad2d,
} from './shapeBuilders.js';

/** A layer type the engine builds: every registry type but `Input`, which is the model's input. */
export type BuiltType = Exclude<LayerType, 'Input'>;

/**
 * The tfjs builder of every primitive layer type of the registry, each typed with its layer's
 * resolved params (blocks are expanded into these). A type without an entry is a compile error.
 */
export const LAYER_BUILDERS: {
  readonly [T in BuiltType]: (args: BuildArgs<Params<T>>) => BuiltLayer;
} = {
  Conv2d: buildConv2d,
  ConvTranspose2d: buildConvTranspose2d,
  MaxPool2d: buildMaxPool2d,
  AvgPool2d: buildAvgPool2d,
  AdaptiveAvgPool2d: buildAdaptiveAvgPool2d,
  AdaptiveMaxPool2d: buildAdaptiveMaxPool2d,
  BatchNorm2d: buildBatchNorm,
  BatchNorm1d: buildBatchNorm,
  LayerNorm2d: buildLayerNorm2d,
  ReLU: buildReLU,
  ReLU6: buildReLU6,
  LeakyReLU: buildLeakyReLU,
  ELU: buildELU,
  GELU: buildGELU,
  SiLU: buildSiLU,
  Hardswish: buildHardswish,
  Hardsigmoid: buildHardsigmoid,
  Sigmoid: buildSigmoid,
  Tanh: buildTanh,
  Softmax: buildSoftmax,
  LogSoftmax: buildLogSoftmax,
  Dropout: buildDropout,
  Dropout2d: buildDropout2d,
  Flatten: buildFlatten,
  Linear: buildLinear,
  Identity: buildIdentity,
  Upsample: buildUpsample,
  PixelShuffle: buildPixelShuffle,
  ChannelShuffle: buildChannelShuffle,
  Slice: buildSlice,
  ZeroPad2d: buildZeroPad2d,
  Add: buildAdd,
  Multiply: buildMultiply,
  Concat: buildConcat,
};

/** The builder of a layer type, or undefined for `Input` and unknown types. */
export function builderOf(type: string): LayerBuilder | undefined {
  if (!Object.hasOwn(LAYER_BUILDERS, type)) return undefined;
  const builders: Readonly<Record<string, LayerBuilder>> = LAYER_BUILDERS;
  return builders[type];
}
