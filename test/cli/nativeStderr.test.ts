// Dawn prints warnings from native code on stderr when it loads a software adapter (llvmpipe);
// a forced webgpu `nnb train` runs in a child whose stderr is filtered, so they never reach the
// user's terminal, while nnb's own messages still do.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forcesWebGpu, isNativeNoise } from '../../src/cli/nativeStderr.js';
import { probe } from '../engine/webgpu/adapter.js';
import { nnb } from './nnb.js';

describe('native stderr noise', () => {
  it('recognises what Dawn and Mesa print, and nothing of ours', () => {
    // As printed by Dawn 0.6.2 on Mesa 25's llvmpipe.
    expect(
      isNativeNoise(
        'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.',
      ),
    ).toBe(true);
    expect(
      isNativeNoise(
        'Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.',
      ),
    ).toBe(true);
    expect(isNativeNoise('nnb train: The loss became NaN at epoch 1, batch 3')).toBe(false);
    expect(isNativeNoise('Warning: something else')).toBe(false);
  });

  it('filters only train runs that force webgpu', () => {
    expect(forcesWebGpu(['train', 'g.nnb.json', '--backend', 'webgpu'], {})).toBe(true);
    expect(forcesWebGpu(['train', 'g.nnb.json', '--backend=webgpu'], {})).toBe(true);
    expect(forcesWebGpu(['train', 'g.nnb.json'], { NNB_BACKEND: 'webgpu' })).toBe(true);
    expect(
      forcesWebGpu(['train', 'g.nnb.json', '--backend', 'wasm'], { NNB_BACKEND: 'webgpu' }),
    ).toBe(false);
    expect(forcesWebGpu(['train', 'g.nnb.json'], {})).toBe(false);
    expect(forcesWebGpu(['summary', 'g.nnb.json', '--backend', 'webgpu'], {})).toBe(false);
  });
});

describe.skipIf(!probe.ok)('nnb train --backend webgpu', () => {
  it('trains without Dawn’s warnings on stderr', () => {
    const out = mkdtempSync(join(tmpdir(), 'nnb-stderr-'));
    const r = nnb(
      'train',
      'templates/lenet-5.nnb.json',
      '--backend',
      'webgpu',
      '--epochs',
      '1',
      '--max-samples',
      '64',
      '--batch-size',
      '32',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"type":"finished"');
    expect(r.stdout).toContain('"backend":"webgpu"');
    expect(r.stderr).not.toMatch(/artificially reduced/);
  }, 120_000);
});
