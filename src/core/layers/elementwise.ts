import { line } from '../graph/traceLines.js';
import { bool, type ParamSpecs, type ResolvedParams } from '../params/paramSpec.js';
import { formatShape, type Shape } from '../shape.js';
import {
  defineLayer,
  identityField,
  noMacs,
  noParams,
  type Category,
  type LayerContext,
  type LayerDefinition,
  type ShapeOutcome,
} from './LayerDefinition.js';

/** The shape outcome of a layer whose output has its input's shape. */
export function unchangedShape(input: Shape, from = 'as its input'): ShapeOutcome {
  return { shape: input, trace: [line('shape', 'shape', '', `${formatShape(input)} (${from})`)] };
}

/** `inplace`, as `torch.nn` accepts it on ReLU, Dropout…: saves memory, same numbers. */
export const inplace = bool({
  default: false,
  advanced: true,
  description:
    'Overwrite the input tensor instead of allocating a new one (same result, less memory).',
});

interface ElementwiseSpec<S extends ParamSpecs, T extends string> {
  readonly type: T;
  readonly category: Category;
  readonly summary: string;
  readonly explanation: string;
  readonly params: S;
  /** See LayerDefinition: the node line and the strip chip (Dropout's `p 0.5`). */
  readonly keyParams?: (params: ResolvedParams<S>) => string;
  readonly chip?: (params: ResolvedParams<S>) => string;
  /** Extra validation of the params against the input (e.g. Softmax's dim). */
  readonly check?: (ctx: LayerContext<ResolvedParams<S>>) => void;
}

/**
 * A layer applied to each element (or along one axis) without changing the shape: any rank,
 * no parameters, no MACs, and each output unit sees what its input unit saw.
 */
export function elementwise<const S extends ParamSpecs, const T extends string>(
  spec: ElementwiseSpec<S, T>,
): LayerDefinition<S, T> {
  const { check, ...described } = spec;
  return defineLayer({
    ...described,
    inputs: { min: 1, max: 1 },
    shape(ctx) {
      check?.(ctx);
      return unchangedShape(ctx.input);
    },
    paramCount: noParams,
    macs: noMacs,
    receptiveField: identityField,
  });
}
