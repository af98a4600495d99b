import type { BlockDefinition } from '../blocks/BlockDefinition.js';
import { Bottleneck } from '../blocks/Bottleneck.js';
import { ResidualBlock } from '../blocks/ResidualBlock.js';
import { SqueezeExcitation } from '../blocks/SqueezeExcitation.js';
import type { ResolvedParams } from '../params/paramSpec.js';
import { AdaptiveAvgPool2d } from './AdaptiveAvgPool2d.js';
import { AdaptiveMaxPool2d } from './AdaptiveMaxPool2d.js';
import { Add } from './Add.js';
import { AvgPool2d } from './AvgPool2d.js';
import { BatchNorm1d } from './BatchNorm1d.js';
import { BatchNorm2d } from './BatchNorm2d.js';
import { ChannelShuffle } from './ChannelShuffle.js';
import { Concat } from './Concat.js';
import { Conv2d } from './Conv2d.js';
import { ConvTranspose2d } from './ConvTranspose2d.js';
import { Dropout } from './Dropout.js';
import { Dropout2d } from './Dropout2d.js';
import { ELU } from './ELU.js';
import { Flatten } from './Flatten.js';
import { GELU } from './GELU.js';
import { Hardsigmoid } from './Hardsigmoid.js';
import { Hardswish } from './Hardswish.js';
import { Identity } from './Identity.js';
import { Input } from './Input.js';
import { LayerNorm2d } from './LayerNorm2d.js';
import { LeakyReLU } from './LeakyReLU.js';
import { Linear } from './Linear.js';
import { LogSoftmax } from './LogSoftmax.js';
import { MaxPool2d } from './MaxPool2d.js';
import { Multiply } from './Multiply.js';
import { PixelShuffle } from './PixelShuffle.js';
import { ReLU } from './ReLU.js';
import { ReLU6 } from './ReLU6.js';
import { SiLU } from './SiLU.js';
import { Slice } from './Slice.js';
import { Sigmoid } from './Sigmoid.js';
import { Softmax } from './Softmax.js';
import { Tanh } from './Tanh.js';
import { Upsample } from './Upsample.js';
import { ZeroPad2d } from './ZeroPad2d.js';
import type { LayerDefinition } from './LayerDefinition.js';

/** Anything a node's `type` can name: a primitive layer or a composite block. */
export type NodeDefinition = LayerDefinition | BlockDefinition;

/** Returns the table unchanged; the compiler checks each entry's key is its `type`. */
function keyedByType<const R extends { readonly [K in keyof R]: { readonly type: K } }>(
  table: R,
): R {
  return table;
}

/**
 * The primitive layers, declared once, in palette order. Adding a layer: write `layers/<Type>.ts`
 * and list it here; the compiler then names every per-target table (engine builders, exporters)
 * that lacks an entry for it — docs/architecture.md lists them.
 */
export const LAYERS = keyedByType({
  // Input
  Input,
  // Convolution
  Conv2d,
  ConvTranspose2d,
  // Pooling
  MaxPool2d,
  AvgPool2d,
  AdaptiveAvgPool2d,
  AdaptiveMaxPool2d,
  // Normalization
  BatchNorm2d,
  BatchNorm1d,
  LayerNorm2d,
  // Activation
  ReLU,
  ReLU6,
  LeakyReLU,
  ELU,
  GELU,
  SiLU,
  Hardswish,
  Hardsigmoid,
  Sigmoid,
  Tanh,
  Softmax,
  LogSoftmax,
  // Regularization
  Dropout,
  Dropout2d,
  // Linear/Reshape
  Flatten,
  Linear,
  Identity,
  Upsample,
  PixelShuffle,
  ChannelShuffle,
  Slice,
  ZeroPad2d,
  // Merge
  Add,
  Multiply,
  Concat,
} satisfies Readonly<Record<string, LayerDefinition>>);

/** The composite blocks, expanded into primitive layers before compiling or exporting. */
export const BLOCKS = keyedByType({
  ResidualBlock,
  Bottleneck,
  SqueezeExcitation,
} satisfies Readonly<Record<string, BlockDefinition>>);

/** A primitive layer type: a key of the registry. */
export type LayerType = keyof typeof LAYERS & string;
/** A composite block type. */
export type BlockType = keyof typeof BLOCKS & string;

/** The resolved parameters a layer of type `T` receives (PyTorch defaults applied). */
export type Params<T extends LayerType> = ResolvedParams<(typeof LAYERS)[T]['params']>;

/** The layer catalog, in palette order, blocks last. */
export const NODE_DEFINITIONS: readonly NodeDefinition[] = [
  ...Object.values<LayerDefinition>(LAYERS),
  ...Object.values<BlockDefinition>(BLOCKS),
];

const byType = new Map(NODE_DEFINITIONS.map((d) => [d.type, d]));

/** The definition of a node type, or undefined for an unknown type. */
export function getDefinition(type: string): NodeDefinition | undefined {
  return byType.get(type);
}

/** Whether `type` names a composite block of the registry. */
export function isBlockType(type: string): type is BlockType {
  return Object.hasOwn(BLOCKS, type);
}

export const NODE_TYPES: readonly string[] = NODE_DEFINITIONS.map((d) => d.type);
