// A residual Add and the ReLU after it on webgpu: one dispatch forward (max(a + b, 0)) and one
// backward (dy where the output is positive), where tfjs issued AddN + Relu and Step + Multiply.
import tf from '../tfjs.cjs';
import { activeWebGpu } from './webgpuInternals.js';

const WORKGROUP: [number, number, number] = [64, 1, 1];

interface ProgramRunner {
  runWebGPUProgram(
    program: object,
    inputs: tf.TensorInfo[],
    dtype: 'float32',
    uniforms: never[],
  ): tf.TensorInfo;
}

/** out[index] = `expression` (of u[index], v[index]) over the shape of `u`. */
function elementwise(key: string, u: tf.Tensor, v: tf.Tensor, expression: string): tf.Tensor {
  const program = {
    variableNames: ['u', 'v'],
    outputShape: [...u.shape],
    uniforms: '',
    workgroupSize: WORKGROUP,
    size: true,
    dispatchLayout: { x: u.shape.map((_, i) => i) },
    dispatch: [Math.ceil(u.size / WORKGROUP[0]), 1, 1],
    shaderKey: `nnb_${key}`,
    getUserCode: () => /* wgsl */ `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let a = u[index];
          let b = v[index];
          setOutputAtIndex(index, ${expression});
        }
      }`,
  };
  const backend = activeWebGpu() as unknown as ProgramRunner;
  const info = backend.runWebGPUProgram(program, [u, v], 'float32', []);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** max(a + b, 0). */
export function webGpuAddRelu(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return elementwise('add_relu', a, b, 'max(a + b, 0.0)');
}

/** dy where the ReLU's output y is positive, else 0. */
export function webGpuReluGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return elementwise('relu_grad', dy, y, 'select(0.0, a, b > 0.0)');
}
