import tf from '../tfjs.cjs';
import { installChannelSum } from './batchNormPrograms.js';
import { noGpuDevice } from './gpuDevices.js';
import {
  probeAdapter,
  describeAdapter,
  webgpuPackageUrl,
  type GpuAdapter,
} from './adapterProbe.js';
import { installConvFilterGradient } from './convFilterGradient.js';
import { recordGpuError } from './gpuErrors.js';

/** The device tfjs-backend-webgpu trains on, with what it allows. */
export interface WebGpuDevice {
  readonly adapter: GpuAdapter;
  /** `NVIDIA H200 (nvidia, hopper)`: for banners, events and the backend selector. */
  readonly description: string;
}

let loaded: WebGpuDevice | null = null;

const SUBMIT_BATCH = 100;

/** Minimal shapes of the `webgpu` package (Dawn's Node bindings) this module uses. */
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}
interface GpuLike {
  requestAdapter(o?: { powerPreference?: string }): Promise<AdapterLike | null>;
}
interface AdapterLike {
  readonly limits: Record<string, number>;
  readonly features: { has(name: string): boolean };
  requestDevice(d: {
    requiredLimits: Record<string, number>;
    requiredFeatures: string[];
  }): Promise<DeviceLike>;
  readonly info: object;
}
interface DeviceLike {
  addEventListener(type: 'uncapturederror', f: (e: { error: { message: string } }) => void): void;
  readonly lost: Promise<{ reason: string; message: string }>;
}

/** Limits the engine's kernels may use; each is raised to what the adapter allows. */
const RAISED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeInvocationsPerWorkgroup',
  'maxStorageBuffersPerShaderStage',
] as const;

/**
 * Registers tfjs-backend-webgpu's 'webgpu' backend on a device we create ourselves: with the
 * adapter's real limits (not WebGPU's defaults) and with its errors captured (gpuErrors.ts).
 * `allowSoftware` lets a forced `--backend webgpu` run on llvmpipe; `auto` never does.
 */
export async function loadWebGpu(allowSoftware: boolean): Promise<WebGpuDevice> {
  if (loaded !== null) return loaded;
  // Without a GPU device node only software adapters exist: `auto` need not ask Dawn.
  const noDevice = allowSoftware ? null : noGpuDevice();
  if (noDevice !== null) {
    throw new Error(`no GPU adapter: ${noDevice}; software ones are slower than WebAssembly`);
  }
  const probe = await probeAdapter();
  if (!probe.ok) throw new Error(probe.reason);
  if (probe.adapter.fallback && !allowSoftware) {
    throw new Error(
      `only a software adapter (${probe.adapter.description.split(':')[0]}), slower than WebAssembly`,
    );
  }
  const url = webgpuPackageUrl();
  if (url === null) throw new Error('not installed');
  const dawn = (await import(url)) as DawnModule;
  Object.assign(globalThis, dawn.globals);
  const g = globalThis as unknown as { navigator?: { gpu?: unknown } };
  // Node 21+ has a navigator; 20 has none. tfjs-backend-webgpu looks for navigator.gpu.
  if (g.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });
  }
  const gpu = dawn.create([]);
  Object.defineProperty(g.navigator!, 'gpu', { value: gpu, configurable: true });
  const backendModule = (await import('@tensorflow/tfjs-backend-webgpu')) as unknown as {
    WebGPUBackend: new (device: unknown, info?: unknown) => tf.KernelBackend;
  };
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new Error('no GPU adapter');
  const requiredLimits: Record<string, number> = {};
  for (const name of RAISED_LIMITS) {
    const value = adapter.limits[name];
    if (typeof value === 'number') requiredLimits[name] = value;
  }
  const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({ requiredLimits, requiredFeatures });
  device.addEventListener('uncapturederror', (e) => recordGpuError(e.error.message));
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed') recordGpuError(`the GPU device was lost: ${info.message}`);
  });
  // The package registered its own factory on import; ours replaces it.
  if (tf.findBackendFactory('webgpu') !== null) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new backendModule.WebGPUBackend(device, adapter.info));
  // Kernels recorded before a submit (tfjs' default 15). 100 measured on an H200: ResNet-18 at
  // batch 32 158 → 228 samples/s, ResNet-20 at 128 470 → 654 (docs/performance.md).
  tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', SUBMIT_BATCH);
  installConvFilterGradient();
  installChannelSum();
  loaded = { adapter: probe.adapter, description: describeAdapter(probe.adapter) };
  return loaded;
}

/** The loaded device, if this process loaded one. */
export function webGpuDevice(): WebGpuDevice | null {
  return loaded;
}
