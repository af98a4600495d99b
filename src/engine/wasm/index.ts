// The project's WASM training kernels: the gradients tfjs-backend-wasm 4.22 lacks, and faster
// replacements for the ones it has that dominate a training step (see docs/performance.md).
import tf from '../tfjs.cjs';
// Loading the package registers its own wasm kernels, which ours then extend or replace.
import './tfjsBackendWasm.cjs';
import {
  ADD_RELU,
  ADD_RELU_FORK,
  RELU_GRAD,
  RELU_GRAD_SUM,
  addRelu,
  addReluFork,
  reluGrad,
  reluGradSum,
} from './addRelu.js';
import { batchMatMul } from './batchMatMul.js';
import { BIAS_RELU, CHANNEL_AFFINE, biasRelu, channelAffine } from './biasRelu.js';
import {
  BATCH_NORM_TRAIN,
  BATCH_NORM_TRAIN_GRAD,
  batchNormTrain,
  batchNormTrainGrad,
} from './batchNorm.js';
import { cast } from './cast.js';
import {
  CROSS_ENTROPY,
  CROSS_ENTROPY_GRAD,
  crossEntropy,
  crossEntropyGrad,
} from './crossEntropy.js';
import { add, multiply, sub } from './channelOps.js';
import { conv2d } from './conv2d.js';
import { conv2dBackpropFilter } from './conv2dBackpropFilter.js';
import { conv2dBackpropInput } from './conv2dBackpropInput.js';
import {
  depthwiseConv2dBackpropFilter,
  depthwiseConv2dBackpropInput,
} from './depthwiseBackprop.js';
import { identity } from './identity.js';
import { maxPoolGrad } from './maxPoolGrad.js';
import { mean, sum } from './channelReduction.js';
import { installMeanGradient } from './meanGradient.js';
import { tile } from './tile.js';
import { padV2 } from './padV2.js';
import { RUNNING_STATS, runningStats } from './runningStats.js';
import { rememberOriginalKernel } from './wasmKernelContext.js';

/** Our kernels, by tfjs kernel name. Each is tested against the CPU backend's gradients. */
export const WASM_TRAINING_KERNELS: Readonly<Record<string, tf.KernelFunc>> = {
  Add: add as unknown as tf.KernelFunc,
  Sub: sub as unknown as tf.KernelFunc,
  Multiply: multiply as unknown as tf.KernelFunc,
  [ADD_RELU]: addRelu as unknown as tf.KernelFunc,
  [RELU_GRAD]: reluGrad as unknown as tf.KernelFunc,
  [ADD_RELU_FORK]: addReluFork as unknown as tf.KernelFunc,
  [RELU_GRAD_SUM]: reluGradSum as unknown as tf.KernelFunc,
  BatchMatMul: batchMatMul as unknown as tf.KernelFunc,
  [BIAS_RELU]: biasRelu as unknown as tf.KernelFunc,
  [CHANNEL_AFFINE]: channelAffine as unknown as tf.KernelFunc,
  [BATCH_NORM_TRAIN]: batchNormTrain as unknown as tf.KernelFunc,
  [BATCH_NORM_TRAIN_GRAD]: batchNormTrainGrad as unknown as tf.KernelFunc,
  Cast: cast as unknown as tf.KernelFunc,
  [CROSS_ENTROPY]: crossEntropy as unknown as tf.KernelFunc,
  [CROSS_ENTROPY_GRAD]: crossEntropyGrad as unknown as tf.KernelFunc,
  Conv2D: conv2d as unknown as tf.KernelFunc,
  Conv2DBackpropFilter: conv2dBackpropFilter as unknown as tf.KernelFunc,
  Conv2DBackpropInput: conv2dBackpropInput as unknown as tf.KernelFunc,
  DepthwiseConv2dNativeBackpropFilter: depthwiseConv2dBackpropFilter as unknown as tf.KernelFunc,
  DepthwiseConv2dNativeBackpropInput: depthwiseConv2dBackpropInput as unknown as tf.KernelFunc,
  Identity: identity as unknown as tf.KernelFunc,
  MaxPoolGrad: maxPoolGrad as unknown as tf.KernelFunc,
  Mean: mean as unknown as tf.KernelFunc,
  PadV2: padV2 as unknown as tf.KernelFunc,
  [RUNNING_STATS]: runningStats as unknown as tf.KernelFunc,
  Sum: sum as unknown as tf.KernelFunc,
  Tile: tile as unknown as tf.KernelFunc,
};

let registered = false;

/**
 * Registers the kernels for the 'wasm' backend. Call it before `tf.setBackend('wasm')` is
 * awaited; calling it again does nothing.
 */
export async function registerWasmTrainingKernels(): Promise<void> {
  if (registered) return;
  registered = true;
  installMeanGradient();
  for (const [kernelName, kernelFunc] of Object.entries(WASM_TRAINING_KERNELS)) {
    const original = rememberOriginalKernel(kernelName);
    if (original !== undefined) tf.unregisterKernel(kernelName, 'wasm');
    // A replaced kernel keeps its setupFunc: it binds the C++ function our fallbacks may call.
    tf.registerKernel({
      kernelName,
      backendName: 'wasm',
      kernelFunc,
      setupFunc: original?.setupFunc,
    });
  }
}
