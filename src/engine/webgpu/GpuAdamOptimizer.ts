import tf from '../tfjs.cjs';
import type { Optimizer } from '../../api/training.js';
import type { StepOptimizer } from '../train/StepOptimizer.js';
import { stepFromFlat } from '../train/TorchOptimizer.js';
import {
  activeWebGpu,
  bufferOf,
  bufferUsage,
  newOutput,
  type GpuBufferLike,
  type WebGpuBackendLike,
} from './webgpuInternals.js';

type AdamConfig = Extract<Optimizer, { name: 'adam' | 'adamw' }>;

const WORKGROUP = 256;
const MAX_GROUPS_X = 65_535;

/**
 * torch.optim.Adam / AdamW in one WGSL kernel per parameter tensor: reads p, g, m, v and writes
 * p', m', v'. The arithmetic is TorchOptimizer's, operation for operation, with the same float32
 * constants (1 − β, lr / (1 − β₁ᵗ), √(1 − β₂ᵗ) computed on the host in float64 and rounded once).
 */
const ADAM_WGSL = /* wgsl */ `
struct Hyper {
  beta1: f32, oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32,
  stepSize: f32, sqrtBc2: f32, eps: f32, weightDecay: f32,
  decay: f32, decoupled: f32, count: u32, rowStride: u32,
}
@group(0) @binding(0) var<uniform> h: Hyper;
@group(0) @binding(1) var<storage, read> p: array<f32>;
@group(0) @binding(2) var<storage, read> g: array<f32>;
@group(0) @binding(3) var<storage, read> m: array<f32>;
@group(0) @binding(4) var<storage, read> v: array<f32>;
@group(0) @binding(5) var<storage, read_write> pOut: array<f32>;
@group(0) @binding(6) var<storage, read_write> mOut: array<f32>;
@group(0) @binding(7) var<storage, read_write> vOut: array<f32>;

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x + id.y * h.rowStride;
  if (i >= h.count) { return; }
  var param = p[i];
  var grad = g[i];
  if (h.decoupled != 0.0) {
    param = param * h.decay;
  } else if (h.weightDecay != 0.0) {
    grad = grad + param * h.weightDecay;
  }
  let mi = m[i] * h.beta1 + grad * h.oneMinusBeta1;
  let vi = v[i] * h.beta2 + (grad * grad) * h.oneMinusBeta2;
  mOut[i] = mi;
  vOut[i] = vi;
  let denom = sqrt(vi) / h.sqrtBc2 + h.eps;
  pOut[i] = param - (mi / denom) * h.stepSize;
}
`;

interface Pipeline {
  readonly pipeline: ReturnType<WebGpuBackendLike['device']['createComputePipeline']>;
  readonly backend: WebGpuBackendLike;
}

let compiled: Pipeline | null = null;

function pipelineFor(backend: WebGpuBackendLike): Pipeline {
  if (compiled?.backend === backend) return compiled;
  const module = backend.device.createShaderModule({ code: ADAM_WGSL });
  const pipeline = backend.device.createComputePipeline({
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  });
  compiled = { pipeline, backend };
  return compiled;
}

/**
 * Adam and AdamW on the webgpu backend with one dispatch per parameter tensor, where tfjs ops
 * take ~13 (GPU-NOTES: 257 dispatches per LeNet-5 step, mostly the optimizer). State and
 * checkpoints are TorchOptimizer's (`i/m`, `i/v`), so runs resume across backends.
 */
export class GpuAdamOptimizer implements StepOptimizer {
  steps = 0;
  private readonly m: (tf.Tensor | null)[];
  private readonly v: (tf.Tensor | null)[];

  static supports(config: Optimizer): config is AdamConfig {
    return config.name === 'adam' || config.name === 'adamw';
  }

  constructor(
    readonly config: AdamConfig,
    private readonly variables: readonly tf.Variable[],
  ) {
    this.m = variables.map(() => null);
    this.v = variables.map(() => null);
  }

  step(grads: readonly tf.Tensor[], lr: number): void {
    const backend = activeWebGpu();
    if (backend === null) throw new Error('GpuAdamOptimizer needs the webgpu backend');
    this.steps++;
    const c = this.config;
    const t = this.steps;
    const hyper = new ArrayBuffer(48);
    const f = new Float32Array(hyper, 0, 10);
    const u = new Uint32Array(hyper, 40, 2);
    f.set([
      c.beta1,
      1 - c.beta1,
      c.beta2,
      1 - c.beta2,
      lr / (1 - c.beta1 ** t),
      Math.sqrt(1 - c.beta2 ** t),
      c.epsilon,
      c.weightDecay,
      1 - lr * c.weightDecay,
      c.name === 'adamw' && c.weightDecay > 0 ? 1 : 0,
    ]);
    const { pipeline } = pipelineFor(backend);
    const layout = pipeline.getBindGroupLayout(0);
    const uniforms: GpuBufferLike[] = [];
    // Everything that may record GPU commands (zero states, uploads, new buffers) happens before
    // our compute pass opens: an encoder records nothing else while a pass is open.
    const work = this.variables.flatMap((p, i) => {
      const g = grads[i];
      if (g === undefined) return [];
      const m = (this.m[i] ??= tf.zerosLike(p));
      const v = (this.v[i] ??= tf.zerosLike(p));
      const out = {
        p: newOutput(backend, p.shape),
        m: newOutput(backend, p.shape),
        v: newOutput(backend, p.shape),
      };
      const n = p.size;
      const groups = Math.ceil(n / WORKGROUP);
      const x = Math.min(groups, MAX_GROUPS_X);
      const y = Math.ceil(groups / x);
      u[0] = n;
      u[1] = x * WORKGROUP;
      const uniform = backend.device.createBuffer({
        size: hyper.byteLength,
        usage: bufferUsage().UNIFORM | bufferUsage().COPY_DST,
        mappedAtCreation: true,
      });
      new Uint8Array(uniform.getMappedRange()).set(new Uint8Array(hyper));
      uniform.unmap();
      uniforms.push(uniform);
      const bytes = n * 4;
      const bind = (binding: number, t: tf.TensorInfo) => ({
        binding,
        resource: { buffer: bufferOf(backend, t), offset: 0, size: bytes },
      });
      const group = backend.device.createBindGroup({
        layout,
        entries: [
          { binding: 0, resource: { buffer: uniform } },
          bind(1, p),
          bind(2, g),
          bind(3, m),
          bind(4, v),
          bind(5, out.p),
          bind(6, out.m),
          bind(7, out.v),
        ],
      });
      return [{ i, out, group, x, y }];
    });
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    const pass = backend.commandEncoder!.beginComputePass();
    pass.setPipeline(pipeline);
    for (const w of work) {
      pass.setBindGroup(0, w.group);
      pass.dispatchWorkgroups(w.x, w.y);
    }
    pass.end();
    // Submitted now, so the per-step uniform buffers may be released (WebGPU keeps a destroyed
    // buffer alive until the work already submitted with it has run).
    backend.submitQueue();
    for (const b of uniforms) b.destroy();
    const engine = tf.engine();
    for (const { i, out } of work) {
      const p = engine.makeTensorFromTensorInfo(out.p);
      this.variables[i]!.assign(p);
      p.dispose();
      this.m[i]!.dispose();
      this.v[i]!.dispose();
      this.m[i] = engine.makeTensorFromTensorInfo(out.m);
      this.v[i] = engine.makeTensorFromTensorInfo(out.v);
    }
  }

  stepFlat(grads: Float32Array, lr: number): void {
    stepFromFlat(this, this.variables, grads, lr);
  }

  weights(): Float32Array {
    throw new Error('GpuAdamOptimizer.weights(): the webgpu backend has no synchronous read');
  }

  state(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    this.variables.forEach((_, i) => {
      const m = this.m[i];
      const v = this.v[i];
      if (m) out.set(`${i}/m`, tf.clone(m));
      if (v) out.set(`${i}/v`, tf.clone(v));
    });
    return out;
  }

  load(state: ReadonlyMap<string, tf.Tensor>, steps: number): void {
    this.steps = steps;
    for (const [key, value] of state) {
      const [index, name] = key.split('/') as [string, string];
      const i = Number(index);
      const slots = name === 'm' ? this.m : name === 'v' ? this.v : null;
      if (slots === null || !(i >= 0 && i < this.variables.length)) {
        value.dispose();
        continue;
      }
      slots[i]?.dispose();
      slots[i] = value;
    }
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v].filter((t): t is tf.Tensor => t !== null));
  }
}
