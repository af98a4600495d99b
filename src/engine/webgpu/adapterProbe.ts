import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { noGpuDevice } from './gpuDevices.js';

/** What Dawn says about the GPU it would use: the `started` event's and the banner's words. */
export interface GpuAdapter {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  /** A software (CPU-emulated) adapter such as llvmpipe: slower than our WASM kernels. */
  readonly fallback: boolean;
  /** The largest storage buffer one shader may bind, in bytes. */
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
}

export type ProbeResult =
  | { readonly ok: true; readonly adapter: GpuAdapter }
  | { readonly ok: false; readonly reason: string };

/**
 * The probe runs in a child process: Dawn prints warnings of its own on the process's stderr
 * (e.g. "maxDynamicUniformBuffersPerPipelineLayout artificially reduced" on Mesa) that no
 * JavaScript can intercept, and asking for an adapter there keeps them away from the user's
 * terminal. It prints one JSON line on stdout.
 */
const PROBE_SCRIPT = `
const { create } = await import(process.argv[1]);
const gpu = create([]);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
if (adapter === null || adapter === undefined) {
  console.log(JSON.stringify({ ok: false, reason: 'no GPU adapter (no Vulkan, Metal or Direct3D 12 driver found)' }));
} else {
  const i = adapter.info;
  console.log(JSON.stringify({ ok: true, adapter: {
    vendor: String(i.vendor ?? ''), architecture: String(i.architecture ?? ''),
    description: String(i.description || i.device || ''),
    fallback: Boolean(i.isFallbackAdapter ?? adapter.isFallbackAdapter),
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  } }));
}
process.exit(0);
`;

/** The file URL of the `webgpu` package's entry, or null when it is not installed. */
export function webgpuPackageUrl(): string | null {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch {
    return null;
  }
}

/** Lines of a Dawn/Mesa stderr that are noise, not a reason. */
const NOISE = /^(Warning: .*artificially reduced|MESA: warning|WARNING: lavapipe)/;

/** Parses the probe's stdout and stderr into a result (pure: tested on recorded outputs). */
export function parseProbe(stdout: string, stderr: string, exitError: string | null): ProbeResult {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('{'));
  if (line !== undefined) {
    try {
      const parsed = JSON.parse(line) as ProbeResult;
      if (parsed.ok || typeof parsed.reason === 'string') return parsed;
    } catch {
      // fall through to the stderr reason
    }
  }
  const why = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !NOISE.test(l));
  return { ok: false, reason: why[0] ?? exitError ?? 'the GPU probe printed nothing' };
}

let cached: Promise<ProbeResult> | null = null;

/** Asks Dawn, in a child process, for the adapter it would use; remembered for the process. */
export function probeAdapter(timeoutMs = 20_000): Promise<ProbeResult> {
  cached ??= new Promise<ProbeResult>((resolve) => {
    const url = webgpuPackageUrl();
    if (url === null) {
      resolve({ ok: false, reason: 'not installed' });
      return;
    }
    execFile(
      process.execPath,
      ['--input-type=module', '-e', PROBE_SCRIPT, url],
      { timeout: timeoutMs, env: { XDG_RUNTIME_DIR: '/tmp', ...process.env } },
      (error, stdout, stderr) => {
        const exitError =
          error === null
            ? null
            : error.killed
              ? `the GPU probe did not answer within ${timeoutMs / 1000} s`
              : error.message.split('\n')[0]!;
        resolve(parseProbe(stdout, stderr, exitError));
      },
    );
  });
  return cached;
}

/** The hardware GPU `auto` would train on, in words, or null (none, or only a software one). */
export async function hardwareGpu(): Promise<string | null> {
  if (noGpuDevice() !== null) return null;
  const probe = await probeAdapter();
  return probe.ok && !probe.adapter.fallback ? describeAdapter(probe.adapter) : null;
}

/** One line for banners and the backend selector: `NVIDIA H200 (nvidia, hopper)`. */
export function describeAdapter(a: GpuAdapter): string {
  const details = [a.vendor, a.architecture].filter((s) => s !== '').join(', ');
  const name = a.description !== '' ? a.description : 'unnamed GPU';
  const software = a.fallback && a.architecture !== 'software' ? ' — software adapter' : '';
  return `${name}${details ? ` (${details})` : ''}${software}`;
}
