import tf from '../tfjs.cjs';
import type { Optimizer } from '../../api/training.js';
import { FlatAdam } from '../wasm/FlatAdam.js';
import type { StepOptimizer } from './StepOptimizer.js';

type AdamConfig = Extract<Optimizer, { name: 'adam' | 'adamw' }>;

/**
 * FlatAdam over a model's variables: reads the weights and gradients into flat arrays, updates
 * them in one loop and assigns each variable once. The flat copy of the weights is reused while
 * each variable still holds the data this optimizer assigned (tfjs swaps a variable's data on
 * every assign), so weights restored or assigned elsewhere between steps are read back.
 */
export class FlatAdamOptimizer implements StepOptimizer {
  private readonly adam: FlatAdam;
  private readonly sizes: number[];
  private readonly params: Float32Array;
  /** The data each variable held after our last assign (null: not yet read). */
  private readonly assigned: (object | null)[];

  constructor(
    config: AdamConfig,
    private readonly variables: readonly tf.Variable[],
  ) {
    this.sizes = variables.map((v) => v.size);
    const total = this.sizes.reduce((a, b) => a + b, 0);
    this.adam = new FlatAdam(config, total);
    this.params = this.adam.params;
    this.assigned = variables.map(() => null);
  }

  get steps(): number {
    return this.adam.steps;
  }

  step(grads: readonly tf.Tensor[], lr: number): void {
    const flat = new Float32Array(this.params.length);
    let offset = 0;
    this.variables.forEach((v, i) => {
      const g = grads[i];
      if (g !== undefined) flat.set(g.dataSync() as Float32Array, offset);
      offset += v.size;
    });
    this.stepFlat(flat, lr);
  }

  stepFlat(grads: Float32Array, lr: number): void {
    this.readChanged();
    this.adam.step(this.params, grads, lr);
    this.assignAll();
  }

  /** StepOptimizer.stepMean: the step from f32(wa·a + wb·b), formed inside FlatAdam's loop. */
  stepMean(a: Float32Array, wa: number, b: Float32Array, wb: number, lr: number): void {
    this.readChanged();
    this.adam.stepMean(this.params, a, wa, b, wb, lr);
    this.assignAll();
  }

  /** Reads the variables whose data is no longer what this optimizer last assigned. */
  private readChanged(): void {
    let offset = 0;
    this.variables.forEach((v, i) => {
      if (this.assigned[i] !== v.dataId) this.params.set(v.dataSync() as Float32Array, offset);
      offset += v.size;
    });
  }

  private assignAll(): void {
    let offset = 0;
    this.variables.forEach((v, i) => {
      const t = tf.tensor(
        this.params.subarray(offset, offset + this.sizes[i]!),
        v.shape,
        'float32',
      );
      v.assign(t);
      t.dispose();
      this.assigned[i] = v.dataId;
      offset += this.sizes[i]!;
    });
  }

  /** The trainable weights after the last step, flat in variable order (a copy). */
  weights(): Float32Array {
    this.readChanged();
    return this.params.slice();
  }

  /** `i/m` and `i/v` per variable (TorchOptimizer's keys); nothing before the first step. */
  state(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    if (this.adam.steps === 0) return out;
    let offset = 0;
    this.variables.forEach((v, i) => {
      const end = offset + v.size;
      out.set(`${i}/m`, tf.tensor(this.adam.m.slice(offset, end), v.shape, 'float32'));
      out.set(`${i}/v`, tf.tensor(this.adam.v.slice(offset, end), v.shape, 'float32'));
      offset = end;
    });
    return out;
  }

  load(state: ReadonlyMap<string, tf.Tensor>, steps: number): void {
    this.adam.steps = steps;
    const offsets: number[] = [];
    this.sizes.reduce((o, size) => (offsets.push(o), o + size), 0);
    for (const [key, value] of state) {
      const [index, name] = key.split('/') as [string, string];
      const i = Number(index);
      const target = name === 'm' ? this.adam.m : name === 'v' ? this.adam.v : null;
      if (target !== null && value.size === this.sizes[i]) {
        target.set(value.dataSync() as Float32Array, offsets[i]!);
      }
      value.dispose();
    }
  }

  dispose(): void {}
}
