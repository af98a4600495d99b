import type { Shape } from '../../core/shape.js';
import type { LayerValue, Params } from '../onnx/GraphBuilder.js';
import type { ConstTensor } from '../onnx/constTensor.js';
import type { KerasConfig, KerasLayerSpec } from './kerasModelJson.js';

/**
 * A Keras tensor computed by a layer of the graph being built, in our layout (C×H×W or F). A
 * flat tensor made by flattening a channels-last map keeps Keras' element order: `order[k]` is
 * our index of Keras' element k, so the Dense reading it takes its kernel rows permuted.
 */
export interface KerasTensor extends LayerValue {
  readonly order?: readonly number[];
}

/** A ZeroPadding2D not written yet: a Conv2D or pool after it takes it into its own padding. */
export interface PendingZeroPad {
  readonly kind: 'pad';
  readonly source: KerasTensor;
  /** [top, bottom, left, right], as Keras writes `((top, bottom), (left, right))`. */
  readonly pads: readonly [number, number, number, number];
  readonly name: string;
  materialized?: KerasTensor;
}

/** Global pooling without keepdims: a C×1×1 map to us, a flat C vector to Keras. */
export interface PendingPooled {
  readonly kind: 'pooled';
  readonly spatial: KerasTensor;
  readonly name: string;
  flat?: KerasTensor;
}

/** `Permute((3, 1, 2))`: H×W×C back to C×H×W order, which only a Flatten after it can read. */
export interface PendingChw {
  readonly kind: 'chw';
  readonly source: KerasTensor;
  readonly name: string;
}

export type KerasValue = KerasTensor | PendingZeroPad | PendingPooled | PendingChw;

/** What a layer importer sees of one Keras layer and how it adds layers to the graph. */
export interface KerasLayerContext {
  readonly spec: KerasLayerSpec;
  readonly config: KerasConfig;
  /** Input `i` as the importer knows it (pending pads and pools included). */
  value(i: number): KerasValue;
  /** Input `i` as a layer's output: a pending ZeroPadding2D becomes a ZeroPad2d, and so on. */
  tensor(i: number): KerasTensor;
  /** Every input as a layer's output. */
  tensors(): KerasTensor[];
  /** The layer's weight `name` (`kernel`, `bias`, `gamma`, …): ModelFormatError when missing. */
  weight(name: string, shape?: readonly number[]): ConstTensor;
  hasWeight(name: string): boolean;
  /** The type of the layer producing a tensor (to know when it is never negative). */
  typeOf(value: KerasTensor): string | undefined;
  /**
   * Adds a layer: the first one of this Keras layer gets its name as id, later ones the name and
   * `suffix` (`conv1_relu`). Refusal when the core's analysis rejects it.
   */
  emit(
    type: string,
    params: Params,
    sources: readonly KerasTensor[],
    weights?: Readonly<Record<string, ConstTensor>>,
    suffix?: string,
  ): KerasTensor;
}

/** Imports one Keras layer: returns the value of its output. Throws Refusal with the reason. */
export type KerasImporter = (ctx: KerasLayerContext) => KerasValue;

/** Our C×H×W (or F) shape in Keras' channels-last order. */
export const kerasShape = (shape: Shape): number[] =>
  shape.length === 3 ? [shape[1] ?? 0, shape[2] ?? 0, shape[0] ?? 0] : [...shape];

/** An int-or-pair config value (`3`, `[3, 3]`) as a pair; `fallback` when absent. */
export function pairOf(value: unknown, fallback: number): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    return [value[0] as number, value[1] as number];
  }
  return [fallback, fallback];
}

/** A pair as our params write it: one int when both agree. */
export const compact = ([a, b]: readonly [number, number]): number | number[] =>
  a === b ? a : [a, b];
