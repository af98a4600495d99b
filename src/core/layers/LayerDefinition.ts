import type { DiagnosticCode, Fix } from '../diagnostics.js';
import type { ParamValue } from '../graph/document.js';
import type { TraceLine } from '../graph/trace.js';
import type { ParamSpecs, ResolvedParams } from '../params/paramSpec.js';
import type { Pair, Shape } from '../shape.js';
import type { TensorSpec } from '../weights/StateDict.js';

/** Palette groups, in palette order. */
export const CATEGORIES = [
  'Input',
  'Convolution',
  'Pooling',
  'Normalization',
  'Activation',
  'Regularization',
  'Linear/Reshape',
  'Merge',
  'Blocks',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** What a layer's rules see: its resolved parameters and its input shapes, in port order. */
export interface LayerContext<P> {
  readonly node: string;
  /** `Conv2d "conv1"`: how messages name the node. */
  readonly title: string;
  readonly params: P;
  readonly inputs: readonly Shape[];
  /** The first input (most layers have exactly one). */
  readonly input: Shape;
  /** Source node id of each input port, for fixes that insert a node on an edge. */
  readonly sources: readonly string[];
  /** Records a non-fatal problem. */
  readonly warn: (code: DiagnosticCode, message: string, fix?: Fix) => void;
}

export interface ShapeOutcome {
  readonly shape: Shape;
  readonly trace: readonly TraceLine[];
}

export interface ParamOutcome {
  /** Elements of the layer's `nn.Parameter`s. */
  readonly weights: number;
  /** Elements of its registered buffers (BatchNorm running statistics). */
  readonly buffers: number;
  /** Bytes of those buffers (float32, except int64 counters). */
  readonly bufferBytes: number;
  readonly trace: readonly TraceLine[];
}

export interface MacOutcome {
  readonly macs: number;
  readonly trace: readonly TraceLine[];
}

/**
 * How a layer maps receptive fields (Araujo et al., Distill 2019):
 * - `window`: a sliding window (conv, pooling, padding) — r' = r + (k_eff−1)·j, j' = j·s,
 *   start' = start + ((k_eff−1)/2 − p)·j with k_eff = d·(k−1)+1 and p the top/left padding.
 * - `upsample`: j' = j / factor, r' = r + extent·j and start' = start + offset·j (extent and offset
 *   counted in input units; offset is where output unit 0's inputs are centred, 0 by default).
 * - `identity`: elementwise; the field is the input's. `merge`: the max over inputs.
 * - `flat`: the output is not a feature map; it has no spatial field.
 */
export type RfRule =
  | {
      readonly kind: 'window';
      readonly kernel: Pair;
      readonly stride: Pair;
      readonly padding: Pair;
      readonly dilation: Pair;
    }
  | {
      readonly kind: 'upsample';
      readonly factor: Pair;
      readonly extent: Pair;
      readonly offset?: Pair;
    }
  | { readonly kind: 'identity' }
  | { readonly kind: 'merge' }
  | { readonly kind: 'flat' };

/** One entry of the layer catalog: everything the core knows about a primitive layer type. */
export interface LayerDefinition<S extends ParamSpecs = ParamSpecs, T extends string = string> {
  readonly kind: 'layer';
  /** PyTorch-style type name, e.g. `Conv2d`: its key in the registry (src/core/layers/registry.ts). */
  readonly type: T;
  readonly category: Category;
  /** Stem of new node ids (`conv` → conv1, conv2), PyTorch-attribute style; default: the type, lowercased. */
  readonly idStem?: string;
  /** Values for the required params of a newly dropped node, so it is valid at once. */
  readonly starter?: Readonly<Record<string, ParamValue>>;
  /** One sentence for the palette tooltip. */
  readonly summary: string;
  /** The explanation shown in the inspector, formulas included. */
  readonly explanation: string;
  readonly params: S;
  /**
   * A layer with a learned kernel (conv, transposed conv, linear): what a network's depth counts,
   * as in "ResNet-18". BatchNorm's scale and shift do not count.
   */
  readonly weighted?: true;
  /** How many inputs the layer takes (Input: 0; Add: 2..∞). */
  readonly inputs: { readonly min: number; readonly max: number };
  /**
   * A `torch.nn` argument inferred from the input (in_channels, in_features, num_features). A file
   * may state it; the analysis then checks it agrees with the incoming shape.
   */
  readonly inferred?: {
    readonly name: string;
    readonly from: (input: Shape) => number | undefined;
  };
  /**
   * The line under the type on a canvas node (`6 @ 5×5 · pad 2`, `→ 120`). Absent: the renderer
   * lists the non-advanced params as written.
   */
  keyParams?(params: ResolvedParams<S>): string;
  /** The chip of a compare strip (`Conv2d 5×5·6`, `Global avg pool`). Absent: the type. */
  chip?(params: ResolvedParams<S>): string;
  // Method signatures (bivariant in their parameter) so a layer's own definition is assignable to
  // LayerDefinition<ParamSpecs>: the analysis only calls a rule with the params resolved from S.
  shape(ctx: LayerContext<ResolvedParams<S>>): ShapeOutcome;
  /**
   * The layer's tensors in PyTorch's state_dict order and layout: names, shapes and the fan-in
   * their default initialization uses. Absent for layers without any. The parameter count, the
   * initial weights (core and engine), checkpoints and every exporter read this one description.
   */
  tensors?(params: ResolvedParams<S>, input: Shape): readonly TensorSpec[];
  /** Counts and explains the tensors; layers with `tensors` derive the numbers from them. */
  paramCount(ctx: LayerContext<ResolvedParams<S>>, output: Shape): ParamOutcome;
  macs(ctx: LayerContext<ResolvedParams<S>>, output: Shape): MacOutcome;
  receptiveField(ctx: LayerContext<ResolvedParams<S>>, output: Shape): RfRule;
}

/** Declares a layer with its parameter types inferred from its spec. */
export function defineLayer<const S extends ParamSpecs, const T extends string>(
  definition: Omit<LayerDefinition<S, T>, 'kind'>,
): LayerDefinition<S, T> {
  return { kind: 'layer', ...definition };
}

/** Raised inside a layer rule; the analysis turns it into a diagnostic on that node. */
export class LayerError extends Error {
  constructor(
    readonly code: DiagnosticCode,
    message: string,
    readonly fix?: Fix,
  ) {
    super(message);
    this.name = 'LayerError';
  }
}

/** Stops the rule with a diagnostic naming the problem and the fix. */
export function fail(code: DiagnosticCode, message: string, fix?: Fix): never {
  throw new LayerError(code, message, fix);
}

export const NO_PARAMS: ParamOutcome = { weights: 0, buffers: 0, bufferBytes: 0, trace: [] };
export const NO_MACS: MacOutcome = { macs: 0, trace: [] };
export const noParams = (): ParamOutcome => NO_PARAMS;
export const noMacs = (): MacOutcome => NO_MACS;
export const identityField = (): RfRule => ({ kind: 'identity' });
