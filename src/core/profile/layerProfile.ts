/**
 * A measured profile of a network: each primitive layer's forward and backward time, timed alone
 * on one backend, beside one whole forward + backward step timed the same way. The engine
 * measures (src/engine/profile); this module only summarises and words the numbers, so the CLI,
 * the app and the heatmap say the same thing.
 */
import { formatCount } from '../format/numbers.js';

/** One primitive layer's medians, in milliseconds (`block1/conv2` for a block's inner layer). */
export interface LayerTiming {
  readonly id: string;
  readonly type: string;
  readonly forwardMs: number;
  readonly backwardMs: number;
}

export interface LayerProfile {
  /** The tfjs backend it ran on (`wasm`, `webgpu`, …) and its GPU in words, if any. */
  readonly backend: string;
  readonly device: string | null;
  readonly batchSize: number;
  /** Runs thrown away before timing (kernels compiled, caches filled), then runs timed. */
  readonly warmup: number;
  readonly runs: number;
  /** In the graph's order. */
  readonly layers: readonly LayerTiming[];
  /** The median of the whole model's forward + backward, timed the same way. */
  readonly stepMs: number;
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The sum of every layer's forward and backward time. */
export function layersTotalMs(profile: LayerProfile): number {
  return profile.layers.reduce((sum, l) => sum + l.forwardMs + l.backwardMs, 0);
}

/**
 * How the layers timed alone add up against the whole step: 1 is exact; the plausibility rule
 * is |ratio − 1| ≤ 0.2 (timing a layer alone adds its own dispatch and read-back).
 */
export function stepAgreement(profile: LayerProfile): number {
  return profile.stepMs > 0 ? layersTotalMs(profile) / profile.stepMs : Number.NaN;
}

export interface NodeTiming {
  readonly forwardMs: number;
  readonly backwardMs: number;
}

/**
 * Each top-level node's forward and backward time: a block's inner layers (`block1/conv2`) add
 * up to the block (`block1`), as the heatmap and the summary's block rows count them.
 */
export function nodeTimings(profile: LayerProfile): ReadonlyMap<string, NodeTiming> {
  const timings = new Map<string, NodeTiming>();
  for (const l of profile.layers) {
    const top = l.id.split('/')[0] ?? l.id;
    const sum = timings.get(top) ?? { forwardMs: 0, backwardMs: 0 };
    timings.set(top, {
      forwardMs: sum.forwardMs + l.forwardMs,
      backwardMs: sum.backwardMs + l.backwardMs,
    });
  }
  return timings;
}

/** Each top-level node's forward + backward time (nodeTimings, added up). */
export function nodeTimes(profile: LayerProfile): ReadonlyMap<string, number> {
  const times = new Map<string, number>();
  for (const [id, t] of nodeTimings(profile)) times.set(id, t.forwardMs + t.backwardMs);
  return times;
}

/** `0.42 ms`, `12.3 ms`, `1,204 ms`: three significant digits are all a timing has. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${formatCount(Math.round(ms))} ms`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** What was measured, in one sentence (the CLI's header, the app's caption). */
export function profileHeader(profile: LayerProfile): string {
  const on = profile.device === null ? profile.backend : `${profile.backend} (${profile.device})`;
  return (
    `Measured on ${on}, batch ${profile.batchSize}: forward + backward of each layer alone, ` +
    `${profile.warmup} warm-up run${profile.warmup === 1 ? '' : 's'}, then the median of ` +
    `${profile.runs}.`
  );
}

/** The totals line: the layers' sum beside the whole step, and how far apart they are. */
export function profileTotals(profile: LayerProfile): string {
  const ratio = stepAgreement(profile);
  const apart = Number.isFinite(ratio) ? ` (${Math.round((ratio - 1) * 100)}%)` : '';
  return (
    `Layers: ${formatMs(layersTotalMs(profile))} · whole step: ` +
    `${formatMs(profile.stepMs)}${apart.replace('(-', '(−').replace(/\((\d)/, '(+$1')}`
  );
}
