// Adam and AdamW over all parameters at once, as flat Float32Arrays: one loop per step instead of
// ~13 tfjs kernels per variable (~130 kernel launches for LeNet-5). Same
// update as TorchOptimizer (torch.optim.Adam/AdamW); each value is computed in double precision
// and rounded once, where the tfjs ops round after every operation.
//
// The loop is a generated WASM SIMD function (simd/adamSimd.ts, two parameters per instruction)
// on a memory of this optimizer's own, which holds the parameters, both moments and the
// gradients; where WebAssembly SIMD is missing, the same arithmetic runs in JavaScript. Both give
// the same bits.
import type { Optimizer } from '../../api/training.js';
import { ADAM_CONSTANTS, ADAM_CONSTANTS_BYTES, generateAdam } from './simd/adamSimd.js';
import { cachedKernel, createMemory, validates, type WasmMemory } from './simd/wasmApi.js';

type AdamConfig = Extract<Optimizer, { name: 'adam' | 'adamw' }>;

type Kernel = (
  p: number,
  m: number,
  v: number,
  ga: number,
  gb: number,
  k: number,
  pairs: number,
) => void;

/** Whether this engine runs the generated kernel (WebAssembly SIMD), checked once. */
let simd: boolean | undefined;

export class FlatAdam {
  /** Completed steps (bias correction uses it), as TorchOptimizer.steps. */
  steps = 0;
  /** The parameters this optimizer updates in place when `step` is given this array. */
  readonly params: Float32Array;
  /** First and second moment estimates, in parameter order (PyTorch's exp_avg, exp_avg_sq). */
  readonly m: Float32Array;
  readonly v: Float32Array;
  /** Gradients (the two halves of a data-parallel step), copied in before each step. */
  private readonly ga: Float32Array;
  private readonly gb: Float32Array;
  private readonly constants: Float64Array;
  private readonly memory: WasmMemory | null;
  /** Byte offsets of params, m, v, ga, gb in `memory`. */
  private readonly at: readonly [number, number, number, number, number];

  /** `scalar`: the JavaScript loop even where the kernel runs (tests compare the two). */
  constructor(
    readonly config: AdamConfig,
    readonly size: number,
    scalar = false,
  ) {
    simd ??= validates(generateAdam(true));
    // Whole pairs (the kernel's unit): a last odd parameter has a zero beside it, which stays 0.
    const padded = size + (size % 2);
    const bytes = padded * 4;
    this.at = [0, 1, 2, 3, 4].map((k) => ADAM_CONSTANTS_BYTES + k * bytes) as unknown as [
      number,
      number,
      number,
      number,
      number,
    ];
    this.memory = simd && !scalar ? createMemory(ADAM_CONSTANTS_BYTES + 5 * bytes) : null;
    const buffer = this.memory?.buffer ?? new ArrayBuffer(ADAM_CONSTANTS_BYTES + 5 * bytes);
    const view = (k: number) => new Float32Array(buffer, this.at[k]!, size);
    [this.params, this.m, this.v, this.ga, this.gb] = [0, 1, 2, 3, 4].map(view) as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    this.constants = new Float64Array(buffer, 0, ADAM_CONSTANTS_BYTES / 8);
  }

  /** Whether the steps run as the generated WASM SIMD kernel (else as the JavaScript loop). */
  get usesSimd(): boolean {
    return this.memory !== null;
  }

  /** Whether this optimizer config can run here (the others stay on TorchOptimizer). */
  static supports(config: Optimizer): config is AdamConfig {
    return config.name === 'adam' || config.name === 'adamw';
  }

  /** Updates `params` in place from `grads` at learning rate `lr`. */
  step(params: Float32Array, grads: Float32Array, lr: number): void {
    this.run(params, grads, null, lr);
  }

  /**
   * Updates `params` in place from the gradient f32(wa·a + wb·b) — the size-weighted mean of
   * two halves of a batch — without forming it first.
   */
  stepMean(
    params: Float32Array,
    a: Float32Array,
    wa: number,
    b: Float32Array,
    wb: number,
    lr: number,
  ): void {
    this.run(params, a, { b, wa, wb }, lr);
  }

  private run(
    params: Float32Array,
    a: Float32Array,
    mean: { b: Float32Array; wa: number; wb: number } | null,
    lr: number,
  ): void {
    this.steps++;
    const { beta1, beta2, epsilon, weightDecay, name } = this.config;
    const k = this.constants;
    const C = ADAM_CONSTANTS;
    k[C.beta1 / 8] = beta1;
    k[C.oneMinusBeta1 / 8] = 1 - beta1;
    k[C.beta2 / 8] = beta2;
    k[C.oneMinusBeta2 / 8] = 1 - beta2;
    k[C.stepSize / 8] = lr / (1 - beta1 ** this.steps);
    k[C.rootBc2 / 8] = Math.sqrt(1 - beta2 ** this.steps);
    k[C.epsilon / 8] = epsilon;
    k[C.decoupled / 8] = name === 'adamw' ? 1 - lr * weightDecay : 1;
    k[C.coupled / 8] = name === 'adam' ? weightDecay : 0;
    k[C.weightA / 8] = mean?.wa ?? 1;
    k[C.weightB / 8] = mean?.wb ?? 0;
    if (params !== this.params) this.params.set(params);
    this.ga.set(a);
    if (mean !== null) this.gb.set(mean.b);
    if (this.memory !== null) {
      const kernel = cachedKernel<Kernel>(this.memory, mean ? 'adam-mean' : 'adam', () =>
        generateAdam(mean !== null),
      );
      const [p, m, v, ga, gb] = this.at;
      kernel(p, m, v, ga, gb, 0, (this.size + (this.size % 2)) / 2);
    } else {
      this.runScalar(mean !== null);
    }
    if (params !== this.params) params.set(this.params);
  }

  /** The kernel's arithmetic in JavaScript, where WebAssembly SIMD is missing. */
  private runScalar(mean: boolean): void {
    const k = this.constants;
    const C = ADAM_CONSTANTS;
    const [beta1, b1, beta2, b2] = [
      k[C.beta1 / 8]!,
      k[C.oneMinusBeta1 / 8]!,
      k[C.beta2 / 8]!,
      k[C.oneMinusBeta2 / 8]!,
    ];
    const [stepSize, rootBc2, epsilon] = [k[C.stepSize / 8]!, k[C.rootBc2 / 8]!, k[C.epsilon / 8]!];
    const [decoupled, coupled, wa, wb] = [
      k[C.decoupled / 8]!,
      k[C.coupled / 8]!,
      k[C.weightA / 8]!,
      k[C.weightB / 8]!,
    ];
    const { params, m, v, ga, gb } = this;
    for (let i = 0; i < params.length; i++) {
      const p0 = params[i]!;
      const g = (mean ? Math.fround(wa * ga[i]! + wb * gb[i]!) : ga[i]!) + coupled * p0;
      const mi = beta1 * m[i]! + b1 * g;
      const vi = beta2 * v[i]! + b2 * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = p0 * decoupled - (stepSize * mi) / (Math.sqrt(vi) / rootBc2 + epsilon);
    }
  }
}
