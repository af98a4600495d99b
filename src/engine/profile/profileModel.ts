import tf from '../tfjs.cjs';
import { analyze } from '../../core/analysis/analyze.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { median, type LayerProfile, type LayerTiming } from '../../core/profile/layerProfile.js';
import { CompiledModel, type Step } from '../model/CompiledModel.js';
import type { ApplyContext } from '../model/LayerBuilder.js';
import { ourShape } from '../model/layout.js';

/** A profile that cannot run (a graph with errors, the time limit): the message says why. */
export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

export interface ProfileOptions {
  readonly batchSize: number;
  /** Runs before timing (first calls compile kernels and fill caches). */
  readonly warmup?: number;
  /** Timed runs; each figure is their median. */
  readonly runs?: number;
  /**
   * The most times a probe's work runs within one timed run (each run's time is their mean): a
   * probe quicker than `sampleMs` repeats up to this, so a fixed read-back cost does not swamp it.
   */
  readonly maxRepeat?: number;
  readonly sampleMs?: number;
  /**
   * Milliseconds from some origin; wall-clock (`performance.now`) by default. A test on a busy
   * machine may pass the process's CPU time instead (only meaningful on CPU backends).
   */
  readonly clock?: () => number;
  /** The whole profile stops with a ProfileError past this many milliseconds. */
  readonly limitMs?: number;
  /** The backend's name and GPU, as selectBackend reported them (the profile says them). */
  readonly backend: string;
  readonly device?: string | null;
}

export const PROFILE_DEFAULTS = {
  warmup: 2,
  runs: 5,
  maxRepeat: 16,
  sampleMs: 20,
  limitMs: 60_000,
} as const;

/**
 * Times each primitive layer's forward, and its forward + backward, alone on the current tfjs
 * backend: its inputs are the values the whole model computes for a random batch, its backward
 * is the gradient of its output (against an upstream gradient of ones) with respect to its
 * trainable weights and to the inputs a layer before it would need. Then the whole model's
 * forward + backward the same way, so the layers' sum can be checked against it. Every run ends
 * with `await data()` on what it computed (never dataSync: a GPU backend reads back
 * asynchronously), and a run's time is wall-clock until those reads resolve.
 */
export async function profileModel(
  graph: GraphDocument,
  options: ProfileOptions,
): Promise<LayerProfile> {
  const analysis = analyze(graph);
  const error = analysis.diagnostics.find((d) => d.severity === 'error');
  if (error !== undefined) {
    throw new ProfileError(`The graph has errors, so it cannot be profiled: ${error.message}`);
  }
  const warmup = options.warmup ?? PROFILE_DEFAULTS.warmup;
  const runs = options.runs ?? PROFILE_DEFAULTS.runs;
  const limitMs = options.limitMs ?? PROFILE_DEFAULTS.limitMs;
  const maxRepeat = options.maxRepeat ?? PROFILE_DEFAULTS.maxRepeat;
  const sampleMs = options.sampleMs ?? PROFILE_DEFAULTS.sampleMs;
  const clock = options.clock ?? (() => performance.now());
  const started = performance.now();
  const model = CompiledModel.compile(graph, 0);
  const x = tf.randomNormal(ourShape(model.inputShape, options.batchSize));
  const steps = model.layers;
  const values = new Map<string, tf.Tensor>();
  model
    .outputsOf(
      x,
      steps.map((s) => s.id),
    )
    .forEach((t, i) => values.set(steps[i]!.id, t));
  try {
    // Each probe is one thing to time: a layer's forward, its forward + backward, the whole step.
    const probes: (() => tf.Tensor[])[] = [() => wholeStep(model, x)];
    for (const step of steps) {
      const inputs = step.sources.map((s) => values.get(s) ?? x);
      const output = values.get(step.id) as tf.Tensor;
      probes.push(() => [forward(step, inputs)]);
      probes.push(() => backward(model, step, inputs, output));
    }
    const times: number[][] = probes.map(() => []);
    const repeats: number[] = probes.map(() => 1);
    // Rounds, each timing every probe once: a busy moment of the machine then slows the layers
    // and the whole step alike, instead of only whichever was being timed.
    for (let round = 0; round < warmup + runs; round++) {
      for (const [p, probe] of probes.entries()) {
        if (performance.now() - started > limitMs) {
          throw new ProfileError(
            `Profiling stopped at its limit of ${Math.round(limitMs / 1000)} s; ` +
              'try a smaller batch size.',
          );
        }
        const ms = await timeOnce(probe, repeats[p]!, clock);
        if (round >= warmup) times[p]!.push(ms);
        // The last warm-up run sets how often this probe repeats.
        else if (round === warmup - 1)
          repeats[p] = Math.min(maxRepeat, Math.max(1, Math.ceil(sampleMs / ms)));
      }
    }
    const medians = times.map(median);
    const layers: LayerTiming[] = steps.map((step, i) => {
      const forwardMs = medians[1 + 2 * i]!;
      const bothMs = medians[2 + 2 * i]!;
      return {
        id: step.id,
        type: step.type,
        forwardMs,
        backwardMs: Math.max(0, bothMs - forwardMs),
      };
    });
    return {
      backend: options.backend,
      device: options.device ?? null,
      batchSize: options.batchSize,
      warmup,
      runs,
      layers,
      stepMs: medians[0]!,
    };
  } finally {
    tf.dispose([x, ...values.values()]);
    model.dispose();
  }
}

/**
 * One timed run: the work `repeat` times, then reading back the last results only (the
 * read-back's fixed cost is shared, as a training step pays it once, not once per layer).
 * Milliseconds per repetition, until the reads resolve.
 */
async function timeOnce(
  work: () => tf.Tensor[],
  repeat: number,
  clock: () => number,
): Promise<number> {
  const t0 = clock();
  const done: tf.Tensor[][] = [];
  for (let r = 0; r < repeat; r++) done.push(work());
  await Promise.all((done.at(-1) ?? []).map((t) => t.data()));
  const ms = (clock() - t0) / repeat;
  for (const outputs of done) tf.dispose(outputs);
  return ms;
}

/** A training-mode context whose BatchNorm updates are thrown away (the weights stay put). */
function trainingContext(): ApplyContext {
  let seed = 1;
  return { training: true, nextSeed: () => seed++, updates: [] };
}

function forward(step: Step, inputs: readonly tf.Tensor[]): tf.Tensor {
  const ctx = trainingContext();
  const out = tf.tidy(() => step.layer.apply(inputs, step.weights, ctx));
  tf.dispose(ctx.updates.map((u) => u.value));
  return out;
}

/** One layer's forward and backward: its output and the gradients a training step needs. */
function backward(
  model: CompiledModel,
  step: Step,
  inputs: readonly tf.Tensor[],
  output: tf.Tensor,
): tf.Tensor[] {
  const ctx = trainingContext();
  const trainable = model.weights
    .filter((w) => w.node === step.id && w.trainable)
    .map((w) => w.variable);
  // The model's input needs no gradient in training; an earlier layer's output does.
  const upstream = inputs.filter((_t, i) => model.layers.some((s) => s.id === step.sources[i]));
  const wrt = [...upstream, ...trainable];
  const result = tf.tidy(() => {
    const dy = tf.onesLike(output);
    const { value, grads } = tf
      .engine()
      .gradients(() => step.layer.apply(inputs, step.weights, ctx), wrt, dy, true);
    return [value, ...grads.filter((g): g is tf.Tensor => g != null)];
  });
  tf.dispose(ctx.updates.map((u) => u.value));
  return result;
}

/** The whole model's forward and backward (the weights' gradients), timed like one layer. */
function wholeStep(model: CompiledModel, x: tf.Tensor): tf.Tensor[] {
  const ctx = trainingContext();
  const result = tf.tidy(() => {
    const f = (): tf.Tensor => model.apply(x, ctx);
    const wrt = model.trainableVariables();
    const dy = tf.ones(ourShape(model.outputShape, x.shape[0] ?? 1));
    const { value, grads } = tf.engine().gradients(f, wrt, dy, true);
    return [value, ...grads.filter((g): g is tf.Tensor => g != null)];
  });
  tf.dispose(ctx.updates.map((u) => u.value));
  return result;
}
