// `auto` skips asking Dawn where Linux has no GPU device node (src/engine/webgpu/gpuDevices.ts):
// the decision on listings of /dev, and on this machine the backend choice it leads to.
import { describe, expect, it } from 'vitest';
import { noGpuDevice, type ListFolder } from '../../../src/engine/webgpu/gpuDevices.js';
import { selectBackend } from '../../../src/engine/selectBackend.js';

/** A ListFolder over fixed listings; a folder not given cannot be read. */
const folders =
  (listings: Record<string, string[]>): ListFolder =>
  (path) =>
    listings[path] ?? null;

describe('noGpuDevice', () => {
  it('no GPU on Linux without /dev/dri, /dev/nvidia* or /dev/dxg', () => {
    const reason = noGpuDevice('linux', folders({ '/dev': ['null', 'kvm', 'fuse', 'tty0'] }));
    expect(reason).toMatch(/no GPU device in \/dev/);
    // A /dev/dri without render or card nodes has no device either.
    expect(noGpuDevice('linux', folders({ '/dev': ['dri'], '/dev/dri': ['by-path'] }))).not.toBe(
      null,
    );
  });

  it('a GPU may exist with any of their device nodes (then Dawn decides)', () => {
    const dev = ['null', 'dri'];
    expect(noGpuDevice('linux', folders({ '/dev': dev, '/dev/dri': ['renderD128'] }))).toBe(null);
    expect(noGpuDevice('linux', folders({ '/dev': dev, '/dev/dri': ['card0'] }))).toBe(null);
    expect(noGpuDevice('linux', folders({ '/dev': ['nvidia0', 'nvidiactl'] }))).toBe(null);
    expect(noGpuDevice('linux', folders({ '/dev': ['nvidia-uvm'] }))).toBe(null);
    expect(noGpuDevice('linux', folders({ '/dev': ['dxg'] }))).toBe(null);
  });

  it('nothing is assumed where /dev cannot be read or on another system', () => {
    expect(noGpuDevice('linux', folders({}))).toBe(null);
    expect(noGpuDevice('darwin', folders({ '/dev': ['null'] }))).toBe(null);
    expect(noGpuDevice('win32', folders({}))).toBe(null);
  });
});

describe('auto on this machine', () => {
  it('passes over webgpu without asking Dawn where no GPU device exists', async () => {
    delete process.env.NNB_BACKEND;
    const { backend, skipped } = await selectBackend('auto');
    const webgpu = skipped.find((s) => s.startsWith('webgpu:'));
    if (noGpuDevice() !== null) {
      expect(backend).toBe('wasm');
      expect(webgpu).toBe(
        'webgpu: no GPU adapter: no GPU device in /dev (no /dev/dri, /dev/nvidia* or /dev/dxg); software ones are slower than WebAssembly',
      );
    } else if (backend === 'wasm') {
      // A device node exists: Dawn was asked, and named what it found.
      expect(webgpu).not.toMatch(/no GPU device in \/dev/);
    }
    await selectBackend('cpu');
  });
});
