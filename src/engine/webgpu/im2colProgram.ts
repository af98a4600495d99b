import tf from '../tfjs.cjs';
import { activeWebGpu } from './webgpuInternals.js';

const WORKGROUP: [number, number, number] = [64, 1, 1];

/**
 * One dispatch that writes a conv's im2col matrix, [n, outH·outW, kh·kw·cin] in the filter's
 * (kh, kw, cin) order, from an NHWC input; positions outside the input (the padding) are 0.
 * A program object in tfjs-backend-webgpu's format: tfjs supplies the shader's prelude
 * (getCoordsFromIndex, getX, setOutputAtIndex, the uniforms' shapes and `size`).
 */
function im2colProgram(outputShape: [number, number, number]) {
  return {
    variableNames: ['x'],
    outputShape,
    uniforms:
      'pads : vec2<i32>, strides : vec2<i32>, outWidth : i32, kernelWidth : i32, inChannels : i32,',
    workgroupSize: WORKGROUP,
    size: true,
    dispatchLayout: { x: [0, 1, 2] },
    dispatch: [
      Math.ceil((outputShape[0] * outputShape[1] * outputShape[2]) / WORKGROUP[0]),
      1,
      1,
    ] as [number, number, number],
    shaderKey: 'nnb_im2col_nhwc',
    getUserCode: () => /* wgsl */ `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index);
          let n = coords[0];
          let position = coords[1];
          let column = coords[2];
          let channel = column % uniforms.inChannels;
          let tap = column / uniforms.inChannels;
          let y = (position / uniforms.outWidth) * uniforms.strides[0] - uniforms.pads[0] +
              tap / uniforms.kernelWidth;
          let x = (position % uniforms.outWidth) * uniforms.strides[1] - uniforms.pads[1] +
              tap % uniforms.kernelWidth;
          var value = 0.0;
          if (y >= 0 && y < uniforms.xShape[1] && x >= 0 && x < uniforms.xShape[2]) {
            value = getX(n, y, x, channel);
          }
          setOutputAtIndex(index, value);
        }
      }`,
  };
}

interface ProgramRunner {
  runWebGPUProgram(
    program: ReturnType<typeof im2colProgram>,
    inputs: tf.TensorInfo[],
    dtype: 'float32',
    uniforms: { type: 'int32'; data: number[] }[],
  ): tf.TensorInfo;
}

/**
 * The im2col matrix of `x` (NHWC) for a kh×kw conv with these strides and top/left padding and
 * an output of outH×outW, on the webgpu backend; null on any other backend.
 */
export function im2col(
  x: tf.Tensor4D,
  [kh, kw]: readonly [number, number],
  [sh, sw]: readonly [number, number],
  [top, left]: readonly [number, number],
  [outH, outW]: readonly [number, number],
): tf.Tensor3D | null {
  const backend = activeWebGpu() as unknown as ProgramRunner | null;
  if (backend === null) return null;
  const [n, , , cin] = x.shape;
  const program = im2colProgram([n, outH * outW, kh * kw * cin]);
  const info = backend.runWebGPUProgram(program, [x], 'float32', [
    { type: 'int32', data: [top, left] },
    { type: 'int32', data: [sh, sw] },
    { type: 'int32', data: [outW] },
    { type: 'int32', data: [kw] },
    { type: 'int32', data: [cin] },
  ]);
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor3D;
}
