// Whether a hardware GPU can exist for Dawn here at all, known without starting it. On Linux every
// hardware Vulkan driver reaches its GPU through a device node: a DRM node in /dev/dri (Mesa's
// drivers, NVIDIA's with nvidia-drm, virtio-gpu, Mali, Asahi…), /dev/nvidia* (NVIDIA's driver) or
// /dev/dxg (WSL 2's GPU). Where none exists, the only adapters Dawn can find are software ones
// (lavapipe, SwiftShader), which `auto` passes over: asking Dawn — a child process loading it and
// a Vulkan instance, ~0.1–0.15 s of CPU while both cores load the program — decides nothing.
import { readdirSync } from 'node:fs';

/** The names in a folder, or null when it cannot be read (missing, not a folder, no access). */
export type ListFolder = (path: string) => readonly string[] | null;

const listFolder: ListFolder = (path) => {
  try {
    return readdirSync(path);
  } catch {
    return null;
  }
};

/**
 * Why no hardware GPU can be reached here, or null when one may be (then only Dawn can tell):
 * Linux without any GPU device node. Other systems (Metal, Direct3D 12) always return null.
 */
export function noGpuDevice(
  platform: NodeJS.Platform = process.platform,
  list: ListFolder = listFolder,
): string | null {
  if (platform !== 'linux') return null;
  const dev = list('/dev');
  // Without a readable /dev nothing is known.
  if (dev === null) return null;
  if (dev.some((name) => name.startsWith('nvidia') || name === 'dxg')) return null;
  const dri = list('/dev/dri') ?? [];
  if (dri.some((name) => name.startsWith('renderD') || name.startsWith('card'))) return null;
  return 'no GPU device in /dev (no /dev/dri, /dev/nvidia* or /dev/dxg)';
}
