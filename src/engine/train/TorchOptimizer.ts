import tf from '../tfjs.cjs';
import type { Optimizer } from '../../api/training.js';
import type { StepOptimizer } from './StepOptimizer.js';

/**
 * The optimizers of torch.optim, step for step (tfjs's differ: RMSprop puts epsilon inside the
 * square root, none has PyTorch's weight decay, and their learning rate is fixed at creation).
 * Weight decay is L2 added to the gradient, except AdamW's decoupled p ← p·(1 − lr·wd).
 */
export class TorchOptimizer implements StepOptimizer {
  /** Completed steps (PyTorch's `step` state, used for Adam's bias correction). */
  steps = 0;
  private readonly slots: Map<string, tf.Tensor>[];

  constructor(
    readonly config: Optimizer,
    private readonly variables: readonly tf.Variable[],
  ) {
    this.slots = variables.map(() => new Map());
  }

  /** Applies one update with these gradients (aligned with the variables) at learning rate `lr`. */
  step(grads: readonly tf.Tensor[], lr: number): void {
    this.steps++;
    const t = this.steps;
    const c = this.config;
    this.variables.forEach((p, i) => {
      const slots = this.slots[i]!;
      const grad = grads[i];
      if (grad === undefined) return;
      const slot = (name: string): tf.Tensor => slots.get(name) ?? tf.zerosLike(p);
      const next = tf.tidy(() => {
        const updated: Record<string, tf.Tensor> = {};
        let g = grad;
        let param: tf.Tensor = p;
        if (c.name === 'adamw') {
          if (c.weightDecay > 0) param = tf.mul(param, 1 - lr * c.weightDecay);
        } else if (c.weightDecay > 0) {
          g = tf.add(g, tf.mul(param, c.weightDecay));
        }
        switch (c.name) {
          case 'sgd': {
            if (c.momentum > 0) {
              // First step: buf = g (PyTorch clones the gradient; so must we: the caller
              // disposes its gradients after the step), then buf = μ·buf + g.
              const buf = t === 1 ? tf.clone(g) : tf.add(tf.mul(slot('momentum'), c.momentum), g);
              updated.momentum = buf;
              g = c.nesterov ? tf.add(g, tf.mul(buf, c.momentum)) : buf;
            }
            return { param: tf.sub(param, tf.mul(g, lr)), updated };
          }
          case 'adam':
          case 'adamw': {
            const m = tf.add(tf.mul(slot('m'), c.beta1), tf.mul(g, 1 - c.beta1));
            const v = tf.add(tf.mul(slot('v'), c.beta2), tf.mul(tf.square(g), 1 - c.beta2));
            updated.m = m;
            updated.v = v;
            const bc1 = 1 - c.beta1 ** t;
            const bc2 = 1 - c.beta2 ** t;
            const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), c.epsilon);
            return { param: tf.sub(param, tf.mul(tf.div(m, denom), lr / bc1)), updated };
          }
          case 'rmsprop': {
            const sq = tf.add(
              tf.mul(slot('square_avg'), c.alpha),
              tf.mul(tf.square(g), 1 - c.alpha),
            );
            updated.square_avg = sq;
            const avg = tf.add(tf.sqrt(sq), c.epsilon);
            if (c.momentum > 0) {
              const buf = tf.add(tf.mul(slot('momentum'), c.momentum), tf.div(g, avg));
              updated.momentum = buf;
              return { param: tf.sub(param, tf.mul(buf, lr)), updated };
            }
            return { param: tf.sub(param, tf.mul(tf.div(g, avg), lr)), updated };
          }
          case 'adagrad': {
            const sum = tf.add(slot('sum'), tf.square(g));
            updated.sum = sum;
            const step = tf.div(g, tf.add(tf.sqrt(sum), c.epsilon));
            return { param: tf.sub(param, tf.mul(step, lr)), updated };
          }
        }
      });
      p.assign(next.param);
      next.param.dispose();
      for (const [name, value] of Object.entries(next.updated)) {
        slots.get(name)?.dispose();
        slots.set(name, value);
      }
    });
  }

  /** One step from the gradients as one flat array in variable order. */
  stepFlat(grads: Float32Array, lr: number): void {
    stepFromFlat(this, this.variables, grads, lr);
  }

  /** The trainable weights, flat in variable order (a new array). */
  weights(): Float32Array {
    const out = new Float32Array(this.variables.reduce((n, v) => n + v.size, 0));
    let offset = 0;
    for (const v of this.variables) {
      out.set(v.dataSync() as Float32Array, offset);
      offset += v.size;
    }
    return out;
  }

  /** The optimizer's state by `variableIndex/slot`, for checkpoints: clones the caller disposes. */
  state(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    this.slots.forEach((slots, i) => {
      for (const [name, value] of slots) out.set(`${i}/${name}`, tf.clone(value));
    });
    return out;
  }

  /** Restores state saved by `state()` (takes ownership of the tensors). */
  load(state: ReadonlyMap<string, tf.Tensor>, steps: number): void {
    this.steps = steps;
    for (const [key, value] of state) {
      const [index, name] = key.split('/') as [string, string];
      const slots = this.slots[Number(index)];
      if (slots === undefined) {
        value.dispose();
        continue;
      }
      slots.get(name)?.dispose();
      slots.set(name, value);
    }
  }

  dispose(): void {
    for (const slots of this.slots) for (const v of slots.values()) v.dispose();
  }
}

/** An optimizer's step from one flat gradient array in variable order, as tensors. */
export function stepFromFlat(
  optimizer: Pick<StepOptimizer, 'step'>,
  variables: readonly tf.Variable[],
  grads: Float32Array,
  lr: number,
): void {
  let offset = 0;
  const tensors = variables.map((v) => {
    const t = tf.tensor(grads.subarray(offset, offset + v.size), v.shape, 'float32');
    offset += v.size;
    return t;
  });
  optimizer.step(tensors, lr);
  tf.dispose(tensors);
}
