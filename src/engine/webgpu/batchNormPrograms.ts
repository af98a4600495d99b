// Training-mode BatchNorm on the webgpu backend as four WGSL dispatches (two forward, two
// backward, plus two tiny ones for dγ and dβ) where tfjs' ops took ~11 forward and ~13 backward:
// on a GPU a ResNet step is bound by how many kernels the host issues (docs/performance.md,
// "Training on a GPU"), not by their arithmetic. Same formulas as batchNormTraining's tfjs path
// and the wasm kernels (src/engine/wasm/batchNorm.ts), x saved instead of x − μ:
//   forward   μ = Σx/N, σ² = Σ(x − μ)²/N (biased), y = (x − μ)·γσ⁻¹ + β;
//   gradient  dβ = Σdy, dγ = σ⁻¹·Σdy·(x − μ),
//             dx = dy·γσ⁻¹ − (x − μ)·γσ⁻²·dγ/N − γσ⁻¹·dβ/N.
// Every tensor is channels last and read as a flat [M, C] array (M = N·H·W).
import tf from '../tfjs.cjs';
import { activeWebGpu } from './webgpuInternals.js';

/** Threads that reduce one channel (one workgroup per channel). */
const REDUCE_THREADS = 256;
const MAP_WORKGROUP: [number, number, number] = [64, 1, 1];

interface Program {
  variableNames: string[];
  outputShape: number[];
  uniforms: string;
  workgroupSize: [number, number, number];
  size: true;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  shaderKey: string;
  getUserCode: () => string;
}

type Uniform = { type: 'int32' | 'float32'; data: number[] };

interface ProgramRunner {
  runWebGPUProgram(
    program: Program,
    inputs: tf.TensorInfo[],
    dtype: 'float32',
    uniforms: Uniform[],
  ): tf.TensorInfo;
}

/**
 * A per-channel reduction over the rows of [M, C] tensors: one workgroup per channel, each
 * thread summing a strided share of the rows, then a tree in workgroup memory. `first` and
 * `second` are WGSL expressions of `row` (and of `mean`, the first sum ÷ M, for `second`); the
 * output is [2, C]: the first sum (÷ M when `divide.first`), then the second (÷ M when
 * `divide.second`); [C] (any shape of C values) without a second.
 */
function channelReduceProgram(
  key: string,
  variableNames: string[],
  channels: number,
  first: string,
  second: string | null,
  divide: { first: boolean; second: boolean },
  outputShape: number[] = [second === null ? 1 : 2, channels],
  prelude = '',
): Program {
  const tree = (name: string) => /* wgsl */ `
        partials[localId.x] = ${name};
        workgroupBarrier();
        for (var width = ${REDUCE_THREADS / 2}u; width > 0u; width = width / 2u) {
          if (localId.x < width) {
            partials[localId.x] = partials[localId.x] + partials[localId.x + width];
          }
          workgroupBarrier();
        }
        let ${name}Total = partials[0];
        workgroupBarrier();`;
  return {
    variableNames,
    outputShape,
    uniforms: 'channels : i32, rows : i32, eps : f32,',
    workgroupSize: [REDUCE_THREADS, 1, 1],
    size: true,
    dispatchLayout: { x: [0, 1] },
    dispatch: [channels, 1, 1],
    shaderKey: `nnb_channel_${key}`,
    getUserCode: () => /* wgsl */ `
      var<workgroup> partials : array<f32, ${REDUCE_THREADS}>;
      ${prelude}
      fn main(index : i32) {
        let c = i32(workgroupId.x);
        let C = uniforms.channels;
        let M = uniforms.rows;
        var partA = 0.0;
        for (var row = i32(localId.x); row < M; row = row + ${REDUCE_THREADS}) {
          partA = partA + (${first});
        }
        ${tree('partA')}
        let mean = partATotal / f32(M);
        ${
          second === null
            ? ''
            : /* wgsl */ `
        var partB = 0.0;
        for (var row = i32(localId.x); row < M; row = row + ${REDUCE_THREADS}) {
          partB = partB + (${second});
        }
        ${tree('partB')}
        if (localId.x == 0u) {
          setOutputAtIndex(C + c, ${divide.second ? 'partBTotal / f32(M)' : 'partBTotal'});
        }`
        }
        if (localId.x == 0u) {
          setOutputAtIndex(c, ${divide.first ? 'mean' : 'partATotal'});
        }
      }`,
  };
}

/** An element-wise program over [M, C] (or over [C] for the parameter gradients). */
function mapProgram(
  key: string,
  variableNames: string[],
  outputShape: number[],
  body: string,
): Program {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    variableNames,
    outputShape,
    uniforms: 'channels : i32, rows : i32, eps : f32,',
    workgroupSize: MAP_WORKGROUP,
    size: true,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / MAP_WORKGROUP[0]), 1, 1],
    shaderKey: `nnb_bn_${key}`,
    getUserCode: () => /* wgsl */ `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let C = uniforms.channels;
          let c = index % C;
          let mean = stats[c];
          let invStd = inverseSqrt(stats[C + c] + uniforms.eps);
          ${body}
        }
      }`,
  };
}

function run(
  program: Program,
  inputs: tf.Tensor[],
  channels: number,
  rows: number,
  eps = 0,
): tf.Tensor {
  const backend = activeWebGpu() as unknown as ProgramRunner;
  const uniforms: Uniform[] = [
    { type: 'int32', data: [channels] },
    { type: 'int32', data: [rows] },
  ];
  uniforms.push({ type: 'float32', data: [eps] });
  const info = backend.runWebGPUProgram(program, inputs, 'float32', uniforms);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/** Whether the webgpu programs run this BatchNorm: on 'webgpu', float32, channels last. */
export function webGpuBatchNormApplies(x: tf.Tensor): boolean {
  return activeWebGpu() !== null && x.dtype === 'float32' && x.rank >= 2;
}

/** The forward's value at `i` (channel `c`) before any ReLU, in WGSL, from x, stats, γ, β. */
const FORWARD_VALUE =
  '(x[i] - stats[c]) * (gamma[c] * inverseSqrt(stats[uniforms.channels + c] + uniforms.eps)) + beta[c]';

/** dy at `i`, masked where the forward's value was not positive (a fused ReLU). */
const MASKED_UPSTREAM = /* wgsl */ `
      fn upstream(i : i32, c : i32) -> f32 {
        return select(0.0, dy[i], ${FORWARD_VALUE} > 0.0);
      }`;

/**
 * y and the batch statistics [2, C] (μ, then the biased σ²) of a training-mode BatchNorm; with
 * `relu`, y = max(BatchNorm(x), 0) (a ReLU that follows, fused).
 */
export function webGpuBatchNormForward(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
  relu = false,
): { y: tf.Tensor; stats: tf.Tensor } {
  const channels = x.shape[x.rank - 1]!;
  const rows = x.size / channels;
  const stats = run(
    channelReduceProgram(
      'moments',
      ['x'],
      channels,
      'x[row * C + c]',
      '(x[row * C + c] - mean) * (x[row * C + c] - mean)',
      { first: true, second: true },
    ),
    [x],
    channels,
    rows,
  );
  const y = run(
    mapProgram(
      relu ? 'normalize_relu' : 'normalize',
      ['x', 'stats', 'gamma', 'beta'],
      [...x.shape],
      /* wgsl */ `
          let i = index;
          let value = ${FORWARD_VALUE};
          setOutputAtIndex(index, ${relu ? 'max(value, 0.0)' : 'value'});`,
    ),
    [x, stats, gamma, beta],
    channels,
    rows,
    eps,
  );
  return { y, stats };
}

/** [dx, dγ, dβ] from the forward's x and statistics (dy masked by the fused ReLU if `relu`). */
export function webGpuBatchNormBackward(
  dy: tf.Tensor,
  x: tf.Tensor,
  stats: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  eps: number,
  relu = false,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const channels = x.shape[x.rank - 1]!;
  const rows = x.size / channels;
  const g = relu ? 'upstream(row * C + c, c)' : 'dy[row * C + c]';
  // [Σg, Σg·(x − μ)], g = dy or dy masked: μ is read from stats.
  const sums = run(
    channelReduceProgram(
      relu ? 'grad_sums_relu' : 'grad_sums',
      // Unread inputs must not be bound (the shader's layout drops them): γ, β with the ReLU only.
      relu ? ['dy', 'x', 'stats', 'gamma', 'beta'] : ['dy', 'x', 'stats'],
      channels,
      g,
      `${g} * (x[row * C + c] - stats[c])`,
      { first: false, second: false },
      [2, channels],
      relu ? MASKED_UPSTREAM : '',
    ),
    relu ? [dy, x, stats, gamma, beta] : [dy, x, stats],
    channels,
    rows,
    eps,
  );
  const dx = run(
    mapProgram(
      relu ? 'input_grad_relu' : 'input_grad',
      relu ? ['dy', 'x', 'stats', 'sums', 'gamma', 'beta'] : ['dy', 'x', 'stats', 'sums', 'gamma'],
      [...x.shape],
      /* wgsl */ `
          let i = index;
          let g = ${relu ? `select(0.0, dy[i], ${FORWARD_VALUE} > 0.0)` : 'dy[i]'};
          let scale = gamma[c] * invStd;
          let dGamma = sums[C + c] * invStd;
          let n = f32(uniforms.rows);
          setOutputAtIndex(index, g * scale - (x[index] - mean) * (scale * invStd * dGamma / n) -
              scale * sums[c] / n);`,
    ),
    relu ? [dy, x, stats, sums, gamma, beta] : [dy, x, stats, sums, gamma],
    channels,
    rows,
    eps,
  );
  const dGamma = run(
    mapProgram(
      'gamma_grad',
      ['stats', 'sums'],
      [channels],
      'setOutputAtIndex(index, sums[C + c] * invStd);',
    ),
    [stats, sums],
    channels,
    rows,
    eps,
  );
  const dBeta = run(
    mapProgram('beta_grad', ['stats', 'sums'], [channels], 'setOutputAtIndex(index, sums[c]);'),
    [stats, sums],
    channels,
    rows,
    eps,
  );
  sums.dispose();
  return [dx, dGamma, dBeta];
}

/**
 * A running statistic's update in one dispatch: old·keep + stats[row]·take, where `stats` is the
 * forward's [2, C] (row 0 the mean, row 1 the biased variance). PyTorch's rule
 * running = (1 − m)·running + m·batch is keep = 1 − m, take = m (times n/(n − 1) for the
 * unbiased variance).
 */
export function webGpuRunningUpdate(
  old: tf.Tensor,
  stats: tf.Tensor,
  row: 0 | 1,
  keep: number,
  take: number,
): tf.Tensor {
  const channels = old.size;
  const program: Program = {
    variableNames: ['old', 'stats'],
    outputShape: [channels],
    uniforms: 'row : i32, keep : f32, take : f32,',
    workgroupSize: MAP_WORKGROUP,
    size: true,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(channels / MAP_WORKGROUP[0]), 1, 1],
    shaderKey: 'nnb_bn_running_update',
    getUserCode: () => /* wgsl */ `
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, old[index] * uniforms.keep +
              stats[uniforms.row * uniforms.size + index] * uniforms.take);
        }
      }`,
  };
  const backend = activeWebGpu() as unknown as ProgramRunner;
  const info = backend.runWebGPUProgram(program, [old, stats], 'float32', [
    { type: 'int32', data: [row] },
    { type: 'float32', data: [keep] },
    { type: 'float32', data: [take] },
  ]);
  return tf.engine().makeTensorFromTensorInfo(info).reshape(old.shape);
}

interface SumArgs {
  inputs: { x: tf.TensorInfo };
  attrs: { axis: number | number[]; keepDims: boolean };
  backend: ProgramRunner;
}

let sumInstalled = false;

/**
 * A sum over the leading axis of [B, …] in one dispatch: each thread adds its output's B values
 * in order. tfjs-webgpu transposes that axis innermost first (two dispatches); the conv filter
 * gradient sums its groups of samples this way (convFilterGradient.ts).
 */
function leadingSumProgram(outputShape: number[]): Program {
  const size = outputShape.reduce((a, b) => a * b, 1);
  return {
    variableNames: ['x'],
    outputShape,
    uniforms: 'batch : i32,',
    workgroupSize: MAP_WORKGROUP,
    size: true,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [Math.ceil(size / MAP_WORKGROUP[0]), 1, 1],
    shaderKey: 'nnb_leading_sum',
    getUserCode: () => /* wgsl */ `
      fn main(index : i32) {
        if (index < uniforms.size) {
          var total = 0.0;
          for (var k = 0; k < uniforms.batch; k = k + 1) {
            total = total + x[k * uniforms.size + index];
          }
          setOutputAtIndex(index, total);
        }
      }`,
  };
}

/**
 * Sums tfjs-webgpu runs as a transpose and a reduction, as one dispatch each: over every axis but
 * the last (every conv and linear bias gradient; one workgroup per channel), and over the leading
 * axis alone. Any other sum, and any int32 sum, runs tfjs' kernel.
 */
export function installChannelSum(): void {
  const original = tf.getKernel('Sum', 'webgpu');
  if (sumInstalled || original === undefined) return;
  sumInstalled = true;
  tf.unregisterKernel('Sum', 'webgpu');
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const { inputs, attrs, backend } = args as unknown as SumArgs;
      const { x } = inputs;
      const rank = x.shape.length;
      const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
      const allButLast = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
      const leading = rank >= 2 && axes.length === 1 && axes[0] === 0;
      if (!(allButLast || leading) || x.dtype !== 'float32') return original.kernelFunc(args);
      if (leading) {
        const rest = x.shape.slice(1);
        const shape = attrs.keepDims ? [1, ...rest] : rest;
        return backend.runWebGPUProgram(leadingSumProgram(shape), [x], 'float32', [
          { type: 'int32', data: [x.shape[0]!] },
        ]);
      }
      const channels = x.shape[rank - 1]!;
      const rows = tf.util.sizeFromShape(x.shape) / channels;
      const shape = attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), channels] : [channels];
      const program = channelReduceProgram(
        'sum',
        ['x'],
        channels,
        'x[row * C + c]',
        null,
        { first: false, second: false },
        shape,
      );
      return backend.runWebGPUProgram(program, [x], 'float32', [
        { type: 'int32', data: [channels] },
        { type: 'int32', data: [rows] },
        { type: 'float32', data: [0] },
      ]);
    },
  });
}
