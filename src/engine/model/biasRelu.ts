// relu(y + bias) — a Conv2d's or Linear's bias and the ReLU after it — as CompiledModel runs them in
// training when the ReLU is the layer's only reader. On wasm: forward one kernel
// (src/engine/wasm/biasRelu.ts; without a bias tfjs' Relu), backward NnbReluGrad on the output and
// the channel Sum for the bias — where tfjs ran Add, Relu, their saved-tensor clones, and Step,
// Cast, Multiply, Sum and two reshapes for the gradient. The same floats either way (the ReLU's
// gradient passes dy or 0; the bias gradient is the same Sum over the same values). Elsewhere
// tfjs' Add and Relu.
import tf from '../tfjs.cjs';
import { onWasmWith } from '../wasm/wasmKernelContext.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { RELU_GRAD } from '../wasm/addRelu.js';
import { BIAS_RELU, biasReluApplies } from '../wasm/biasRelu.js';

/** Whether our wasm kernels run this pair. */
function onWasmKernels(y: tf.Tensor, bias: tf.Tensor | undefined): boolean {
  if (!onWasmWith(RELU_GRAD)) return false;
  if (bias === undefined) return y.dtype === 'float32';
  return onWasmWith(BIAS_RELU) && biasReluApplies(tf.backend() as BackendWasm, y, bias);
}

/** relu(y + bias) (relu(y) without a bias), bias broadcast over y's last axis. */
export function biasRelu(y: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor {
  if (!onWasmKernels(y, bias)) return tf.relu(bias === undefined ? y : tf.add(y, bias));
  const reluGrad = (dy: tf.Tensor, out: tf.Tensor): tf.Tensor =>
    tf.engine().runKernel(RELU_GRAD, { dy, y: out }) as tf.Tensor;
  if (bias === undefined) {
    const op = tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
      const [x, save] = args as [tf.Tensor, (saved: tf.Tensor[]) => void];
      const out = tf.relu(x);
      save([out]);
      return { value: out, gradFunc: (dy: tf.Tensor, [o]: tf.Tensor[]) => reluGrad(dy, o!) };
    });
    return op(y) as tf.Tensor;
  }
  const reduced = [...Array(y.rank - 1).keys()];
  const op = tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
    const [x, b, save] = args as [tf.Tensor, tf.Tensor, (saved: tf.Tensor[]) => void];
    const out = tf.engine().runKernel(BIAS_RELU, { x, bias: b }) as tf.Tensor;
    save([out]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, [o]: tf.Tensor[]) => {
        const g = reluGrad(dy, o!);
        return [g, tf.sum(g, reduced)];
      },
    };
  });
  return op(y, bias) as tf.Tensor;
}
