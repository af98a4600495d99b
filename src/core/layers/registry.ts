import type { BlockDefinition } from '../blocks/BlockDefinition.js';
import { Bottleneck } from '../blocks/Bottleneck.js';
import { ResidualBlock } from '../blocks/ResidualBlock.js';
import type { ParamSpecs } from '../params/paramSpec.js';
import { AdaptiveAvgPool2d } from './AdaptiveAvgPool2d.js';
import { AdaptiveMaxPool2d } from './AdaptiveMaxPool2d.js';
import { Add } from './Add.js';
import { AvgPool2d } from './AvgPool2d.js';
import { BatchNorm1d } from './BatchNorm1d.js';
import { BatchNorm2d } from './BatchNorm2d.js';
import { Concat } from './Concat.js';
import { Conv2d } from './Conv2d.js';
import { ConvTranspose2d } from './ConvTranspose2d.js';
import { Dropout } from './Dropout.js';
import { Dropout2d } from './Dropout2d.js';
import { ELU } from './ELU.js';
import { Flatten } from './Flatten.js';
import { GELU } from './GELU.js';
import { Identity } from './Identity.js';
import { Input } from './Input.js';
import { LeakyReLU } from './LeakyReLU.js';
import { Linear } from './Linear.js';
import { LogSoftmax } from './LogSoftmax.js';
import { MaxPool2d } from './MaxPool2d.js';
import { PixelShuffle } from './PixelShuffle.js';
import { ReLU } from './ReLU.js';
import { ReLU6 } from './ReLU6.js';
import { SiLU } from './SiLU.js';
import { Sigmoid } from './Sigmoid.js';
import { Softmax } from './Softmax.js';
import { Tanh } from './Tanh.js';
import { Upsample } from './Upsample.js';
import { ZeroPad2d } from './ZeroPad2d.js';
import type { LayerDefinition } from './LayerDefinition.js';

/** Anything a node's `type` can name: a primitive layer or a composite block. */
export type NodeDefinition = LayerDefinition<ParamSpecs> | BlockDefinition<ParamSpecs>;

/** The layer catalog, in palette order. Adding a layer: write `layers/<Type>.ts`, list it here. */
export const NODE_DEFINITIONS: readonly NodeDefinition[] = [
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
  // Activation
  ReLU,
  ReLU6,
  LeakyReLU,
  ELU,
  GELU,
  SiLU,
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
  ZeroPad2d,
  // Merge
  Add,
  Concat,
  // Blocks
  ResidualBlock,
  Bottleneck,
] as unknown as readonly NodeDefinition[];

const byType = new Map(NODE_DEFINITIONS.map((d) => [d.type, d]));

/** The definition of a node type, or undefined for an unknown type. */
export function getDefinition(type: string): NodeDefinition | undefined {
  return byType.get(type);
}

export const NODE_TYPES: readonly string[] = NODE_DEFINITIONS.map((d) => d.type);
