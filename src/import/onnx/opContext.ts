import type { Shape } from '../../core/shape.js';
import type { BuiltLayer, LayerValue, Params } from './GraphBuilder.js';
import type { ConstTensor } from './constTensor.js';
import type { NodeAttributes } from './nodeAttributes.js';
import type { OnnxNode } from './onnxFile.js';

/** Spatial padding [top, left, bottom, right] and how the border is filled. */
export interface PadSpec {
  readonly pads: readonly [number, number, number, number];
  readonly mode: 'constant' | 'reflect' | 'edge' | 'wrap';
  readonly value: number;
}

/**
 * A Pad not written yet: the next Conv or AveragePool takes it into its own padding; any other
 * reader gets it as a ZeroPad2d layer (`materialized`).
 */
export interface PendingPad extends PadSpec {
  readonly kind: 'pad';
  readonly source: LayerValue;
  readonly node: OnnxNode;
  materialized?: LayerValue;
}

/**
 * A channel shuffle part-way: a C×H×W layer output reshaped to g×(C/g)×H×W (`swapped` once its
 * two channel axes are transposed). Only the Reshape back to C×H×W makes it a layer
 * (ChannelShuffle); any other reader is refused.
 */
export interface GroupedView {
  readonly kind: 'view';
  readonly source: LayerValue;
  readonly groups: number;
  readonly swapped: boolean;
  readonly node: OnnxNode;
}

/**
 * A C×H×W layer output transposed channels-last (Transpose (0, 2, 3, 1)), as PyTorch writes
 * torchvision's LayerNorm2d: a LayerNormalization over its last axis is LayerNorm2d, and the
 * Transpose (0, 3, 1, 2) back is the layer's output. Any other reader is refused.
 */
export interface ChannelsLastView {
  readonly kind: 'nhwc';
  readonly source: LayerValue;
  readonly node: OnnxNode;
}

/** What the importer knows of an ONNX tensor. */
export type Value =
  | { readonly kind: 'const'; readonly tensor: ConstTensor }
  | LayerValue
  | PendingPad
  | GroupedView
  | ChannelsLastView
  /** The output of a node that could not be imported: its readers are skipped, not reported. */
  | { readonly kind: 'unknown' };

/** What an operator's importer sees of its node and how it adds layers. */
export interface OpContext {
  readonly node: OnnxNode;
  readonly attrs: NodeAttributes;
  readonly opset: number;
  /** The known value of input `i`, or undefined for an optional input left out. */
  value(i: number): Value | undefined;
  /** Input `i` as a constant (weights, pads, shapes); Refusal naming `what` otherwise. */
  constant(i: number, what: string): ConstTensor;
  /** Input `i` as a layer's output (a pending Pad becomes a ZeroPad2d); Refusal if constant. */
  layerInput(i: number): LayerValue;
  /** How many nodes (and graph outputs) read the tensor `name`. */
  readers(name: string): number;
  /** Adds a layer named after this node; Refusal when the core's analysis rejects it. */
  emit(
    type: string,
    params: Params,
    sources: readonly LayerValue[],
    weights?: Readonly<Record<string, ConstTensor>>,
  ): LayerValue;
  /** The type, params and weights of a layer added before (for fusions). */
  layer(id: string): BuiltLayer | undefined;
  /** The per-sample shape of a layer input. */
  shapeOf(i: number): Shape;
}

/**
 * Imports one node: returns the value of its first output, or of every output (Split). Throws
 * Refusal with the reason.
 */
export type OpImporter = (ctx: OpContext) => Value | readonly Value[];
