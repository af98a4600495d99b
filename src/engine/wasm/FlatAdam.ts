// Adam and AdamW over all parameters at once, as flat Float32Arrays: one loop per step instead of
// ~13 tfjs kernels per variable (~130 kernel launches for LeNet-5). Same
// update as TorchOptimizer (torch.optim.Adam/AdamW); each value is computed in double precision
// and rounded once, where the tfjs ops round after every operation.
import type { Optimizer } from '../../api/training.js';

type AdamConfig = Extract<Optimizer, { name: 'adam' | 'adamw' }>;

export class FlatAdam {
  /** Completed steps (bias correction uses it), as TorchOptimizer.steps. */
  steps = 0;
  /** First and second moment estimates, in parameter order (PyTorch's exp_avg, exp_avg_sq). */
  readonly m: Float32Array;
  readonly v: Float32Array;

  constructor(
    readonly config: AdamConfig,
    size: number,
  ) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /** Whether this optimizer config can run here (the others stay on TorchOptimizer). */
  static supports(config: Optimizer): config is AdamConfig {
    return config.name === 'adam' || config.name === 'adamw';
  }

  /** Updates `params` in place from `grads` at learning rate `lr`. */
  step(params: Float32Array, grads: Float32Array, lr: number): void {
    this.steps++;
    const { beta1, beta2, epsilon, weightDecay, name } = this.config;
    const decoupled = name === 'adamw' ? 1 - lr * weightDecay : 1;
    const coupled = name === 'adam' ? weightDecay : 0;
    const stepSize = lr / (1 - beta1 ** this.steps);
    const rootBc2 = Math.sqrt(1 - beta2 ** this.steps);
    const { m, v } = this;
    for (let i = 0; i < params.length; i++) {
      const p = params[i]! * decoupled;
      const g = grads[i]! + coupled * params[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * g;
      const vi = beta2 * v[i]! + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i] = p - (stepSize * mi) / (Math.sqrt(vi) / rootBc2 + epsilon);
    }
  }
}
