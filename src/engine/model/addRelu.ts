// relu(a + b) with one pass each way: the residual Add and the ReLU after it, as CompiledModel
// runs them in training when the ReLU is the Add's only reader (its value is nobody else's). On
// wasm two fused kernels (src/engine/wasm/addRelu.ts), on webgpu two WGSL programs
// (src/engine/webgpu/reluPrograms.ts), elsewhere tfjs' AddN and Relu.
import tf from '../tfjs.cjs';
import { onWasmWith } from '../wasm/wasmKernelContext.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  ADD_RELU,
  ADD_RELU_FORK,
  RELU_GRAD,
  RELU_GRAD_SUM,
  addReluApplies,
} from '../wasm/addRelu.js';
import { webGpuAddRelu, webGpuReluGrad } from '../webgpu/reluPrograms.js';
import { activeWebGpu } from '../webgpu/webgpuInternals.js';

type Pass = {
  forward: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  backward: (dy: tf.Tensor, y: tf.Tensor) => tf.Tensor;
};

function fusedPass(a: tf.Tensor, b: tf.Tensor): Pass | null {
  const sameShape =
    a.dtype === 'float32' && b.dtype === 'float32' && tf.util.arraysEqual(a.shape, b.shape);
  if (!sameShape) return null;
  if (onWasmWith(ADD_RELU) && addReluApplies(tf.backend() as BackendWasm, a, b)) {
    return {
      forward: (u, v) => tf.engine().runKernel(ADD_RELU, { a: u, b: v }) as tf.Tensor,
      backward: (dy, y) => tf.engine().runKernel(RELU_GRAD, { dy, y }) as tf.Tensor,
    };
  }
  if (activeWebGpu() !== null) return { forward: webGpuAddRelu, backward: webGpuReluGrad };
  return null;
}

/** relu(a + b) of two maps of one shape. */
export function addRelu(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const pass = fusedPass(a, b);
  if (pass === null) return tf.relu(tf.addN([a, b]));
  const op = tf.customGrad((...args: (tf.Tensor | ((saved: tf.Tensor[]) => void))[]) => {
    const [u, v] = args as [tf.Tensor, tf.Tensor];
    const save = args[2] as (saved: tf.Tensor[]) => void;
    const y = pass.forward(u, v);
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const g = pass.backward(dy, saved[0]!);
        // The sum passes the gradient to both operands unchanged.
        return [g, g.clone()];
      },
    };
  });
  return op(a, b) as tf.Tensor;
}

let forkGradientRegistered = false;

/**
 * The fork's gradient: its two outputs' gradients added where y > 0, in one pass; the sum passes
 * that to both operands unchanged.
 */
function registerForkGradient(): void {
  if (forkGradientRegistered) return;
  forkGradientRegistered = true;
  tf.registerGradient({
    kernelName: ADD_RELU_FORK,
    outputsToSave: [true, false],
    gradFunc: (dy, saved) => {
      const [dy1, dy2] = dy as tf.Tensor[];
      const g = tf.engine().runKernel(RELU_GRAD_SUM, {
        dy1: dy1!,
        dy2: dy2!,
        y: saved[0]!,
      }) as tf.Tensor;
      return { a: () => g, b: () => g.clone() };
    },
  });
}

/**
 * relu(a + b) for two readers, as two tensors of the same values (one per reader), or null where
 * the fused wasm kernels do not run it (then addRelu and one tensor for both). Two tensors, so
 * that the gradient gets the readers' gradients apart and adds them in the ReLU mask's pass —
 * tfjs would add them in a map-sized Add of its own first.
 */
export function addReluFork(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] | null {
  const sameShape =
    a.dtype === 'float32' && b.dtype === 'float32' && tf.util.arraysEqual(a.shape, b.shape);
  if (!sameShape || !onWasmWith(ADD_RELU_FORK)) return null;
  if (!addReluApplies(tf.backend() as BackendWasm, a, b)) return null;
  registerForkGradient();
  return tf.engine().runKernel(ADD_RELU_FORK, { a, b }) as unknown as [tf.Tensor, tf.Tensor];
}
