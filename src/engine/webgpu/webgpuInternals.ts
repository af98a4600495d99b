import tf from '../tfjs.cjs';

/**
 * The parts of WebGPU and of tfjs-backend-webgpu's backend object that our own kernels use. The
 * project compiles without DOM or @webgpu/types, so these are declared structurally, as narrow
 * as the calls made.
 */
export interface GpuBufferLike {
  getMappedRange(): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

export interface GpuPassLike {
  setPipeline(p: unknown): void;
  setBindGroup(index: number, group: unknown): void;
  dispatchWorkgroups(x: number, y?: number): void;
  end(): void;
}

export interface GpuDeviceLike {
  createShaderModule(d: { code: string }): unknown;
  createComputePipeline(d: { layout: 'auto'; compute: { module: unknown; entryPoint: string } }): {
    getBindGroupLayout(i: number): unknown;
  };
  createBindGroup(d: {
    layout: unknown;
    entries: {
      binding: number;
      resource: { buffer: GpuBufferLike; offset?: number; size?: number };
    }[];
  }): unknown;
  createBuffer(d: { size: number; usage: number; mappedAtCreation?: boolean }): GpuBufferLike;
}

interface TensorDataLike {
  resource?: unknown;
}

export interface WebGpuBackendLike {
  readonly device: GpuDeviceLike;
  readonly tensorMap: { get(dataId: object): TensorDataLike };
  commandEncoder: { beginComputePass(): GpuPassLike } | null;
  uploadToGPU(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: 'float32'): tf.TensorInfo;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

/** The active backend as the webgpu backend, or null when another backend is active. */
export function activeWebGpu(): WebGpuBackendLike | null {
  if (tf.getBackend() !== 'webgpu') return null;
  return tf.backend() as unknown as WebGpuBackendLike;
}

/** The GPU buffer holding a tensor's data (uploaded first if it still lives on the CPU). */
export function bufferOf(backend: WebGpuBackendLike, t: tf.TensorInfo): GpuBufferLike {
  backend.uploadToGPU(t.dataId);
  return backend.tensorMap.get(t.dataId).resource as GpuBufferLike;
}

/** A new float32 tensor whose GPU buffer our kernel fills. */
export function newOutput(backend: WebGpuBackendLike, shape: readonly number[]): tf.TensorInfo {
  const info = backend.makeTensorInfo(shape.slice(), 'float32');
  backend.uploadToGPU(info.dataId);
  return info;
}

/** WebGPU's usage flags (globals once Dawn is loaded). */
export function bufferUsage(): { UNIFORM: number; COPY_DST: number } {
  return (globalThis as unknown as { GPUBufferUsage: { UNIFORM: number; COPY_DST: number } })
    .GPUBufferUsage;
}
