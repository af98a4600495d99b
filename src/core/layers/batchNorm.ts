import { line } from '../graph/traceLines.js';
import { bool, float, optionalFloat } from '../params/paramSpec.js';
import type { LayerContext, ParamOutcome } from './LayerDefinition.js';

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

type Ctx = LayerContext<{ readonly affine: boolean; readonly track_running_stats: boolean }>;

/**
 * weight and bias (C each) when affine; running_mean and running_var (C float32 each) and
 * num_batches_tracked (one int64, 8 bytes) as buffers when track_running_stats, as `torch.nn`
 * registers them. Traces: `params = 2·64 (weight, bias) = 128`, `buffers = 2·64 + 1 = 129`.
 */
export function batchNormCount(ctx: Ctx): ParamOutcome {
  const c = ctx.input[0] ?? 0;
  const { affine, track_running_stats: tracked } = ctx.params;
  const weights = affine ? 2 * c : 0;
  const buffers = tracked ? 2 * c + 1 : 0;
  const bufferBytes = tracked ? 2 * c * 4 + 8 : 0;
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
