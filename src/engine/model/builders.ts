import { buildBatchNorm } from './normBuilders.js';
import { buildConv2d, buildConvTranspose2d } from './convBuilders.js';
import {
  buildDropout,
  buildDropout2d,
  buildELU,
  buildGELU,
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
import type { LayerBuilder } from './LayerBuilder.js';
import {
  buildAdaptiveAvgPool2d,
  buildAdaptiveMaxPool2d,
  buildAvgPool2d,
  buildMaxPool2d,
} from './poolBuilders.js';
import {
  buildAdd,
  buildConcat,
  buildFlatten,
  buildLinear,
  buildPixelShuffle,
  buildUpsample,
  buildZeroPad2d,
} from './shapeBuilders.js';

/**
 * The tfjs builder of every primitive layer type of the catalog, keyed by the same type name
 * (blocks are expanded into these). test/engine/builders.test.ts fails when a catalog type has
 * none. `Input` is the model's input and has no builder.
 */
export const LAYER_BUILDERS: Readonly<Record<string, LayerBuilder>> = {
  Conv2d: buildConv2d as LayerBuilder,
  ConvTranspose2d: buildConvTranspose2d as LayerBuilder,
  MaxPool2d: buildMaxPool2d as LayerBuilder,
  AvgPool2d: buildAvgPool2d as LayerBuilder,
  AdaptiveAvgPool2d: buildAdaptiveAvgPool2d as LayerBuilder,
  AdaptiveMaxPool2d: buildAdaptiveMaxPool2d as LayerBuilder,
  BatchNorm2d: buildBatchNorm as LayerBuilder,
  BatchNorm1d: buildBatchNorm as LayerBuilder,
  ReLU: buildReLU,
  ReLU6: buildReLU6,
  LeakyReLU: buildLeakyReLU as LayerBuilder,
  ELU: buildELU as LayerBuilder,
  GELU: buildGELU as LayerBuilder,
  SiLU: buildSiLU,
  Sigmoid: buildSigmoid,
  Tanh: buildTanh,
  Softmax: buildSoftmax as LayerBuilder,
  LogSoftmax: buildLogSoftmax as LayerBuilder,
  Dropout: buildDropout as LayerBuilder,
  Dropout2d: buildDropout2d as LayerBuilder,
  Flatten: buildFlatten as LayerBuilder,
  Linear: buildLinear as LayerBuilder,
  Identity: buildIdentity,
  Upsample: buildUpsample as LayerBuilder,
  PixelShuffle: buildPixelShuffle as LayerBuilder,
  ZeroPad2d: buildZeroPad2d as LayerBuilder,
  Add: buildAdd,
  Concat: buildConcat as LayerBuilder,
};
