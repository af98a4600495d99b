import { line } from '../graph/traceLines.js';
import { bool, float, optionalFloat } from '../params/paramSpec.js';
import type { Shape } from '../shape.js';
import type { TensorSpec } from '../weights/StateDict.js';
import type { LayerContext, ParamOutcome } from './LayerDefinition.js';
import { countTensors } from './tensors.js';

/** Constructor arguments BatchNorm1d and BatchNorm2d share (num_features is inferred). */
export const batchNormParams = {
  eps: float({
    default: 1e-5,
    min: 0,
    advanced: true,
    description: 'Added to the variance for stability.',
  }),
  momentum: optionalFloat({
    default: 0.1,
    min: 0,
    max: 1,
    advanced: true,
    description: 'Weight of the newest batch in the running statistics; null averages all batches.',
  }),
  affine: bool({
    default: true,
    description: 'Learn a scale (weight) and shift (bias) per channel.',
  }),
  track_running_stats: bool({
    default: true,
    advanced: true,
    description: 'Keep running mean/variance for evaluation instead of using batch statistics.',
  }),
} as const;

interface Flags {
  readonly affine: boolean;
  readonly track_running_stats: boolean;
}
type Ctx = LayerContext<Flags>;

/**
 * torch `_NormBase`: weight and bias [C] when affine (reset to 1 and 0); running_mean and
 * running_var [C] (0 and 1) and the int64 num_batches_tracked [] as buffers when
 * track_running_stats. No tensor is drawn at random, so fan_in is only recorded (C).
 */
export function batchNormTensors(p: Flags, input: Shape): TensorSpec[] {
  const c = input[0] ?? 0;
  const t = (name: string, shape: number[], role: TensorSpec['role'], trainable: boolean) => ({
    name,
    shape,
    role,
    fanIn: c,
    trainable,
  });
  return [
    ...(p.affine ? [t('weight', [c], 'bn-weight', true), t('bias', [c], 'bn-bias', true)] : []),
    ...(p.track_running_stats
      ? [
          t('running_mean', [c], 'running-mean', false),
          t('running_var', [c], 'running-var', false),
          t('num_batches_tracked', [], 'batches-tracked', false),
        ]
      : []),
  ];
}

/**
 * weight and bias (C each) when affine; running_mean and running_var (C float32 each) and
 * num_batches_tracked (one int64, 8 bytes) as buffers when track_running_stats, as `torch.nn`
 * registers them. Traces: `params = 2·64 (weight, bias) = 128`, `buffers = 2·64 + 1 = 129`.
 */
export function batchNormCount(ctx: Ctx): ParamOutcome {
  const c = ctx.input[0] ?? 0;
  const { affine, track_running_stats: tracked } = ctx.params;
  const { weights, buffers, bufferBytes } = countTensors(batchNormTensors(ctx.params, ctx.input));
  const trace = [
    affine
      ? line('params', 'params', `2·${c} (weight, bias)`, weights)
      : line('params', 'params', '', '0 (affine=false)'),
  ];
  if (tracked) {
    trace.push(line('params', 'buffers', `2·${c} + 1`, buffers));
    trace.push(
      line('params', 'buffer bytes', `2·${c}·4 + 8 (float32 stats, int64 counter)`, bufferBytes),
    );
  } else {
    trace.push(line('params', 'buffers', '', '0 (track_running_stats=false)'));
  }
  return { weights, buffers, bufferBytes, trace };
}
