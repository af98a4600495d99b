// Where WebAssembly relaxed SIMD is on (Node ≥ 22, Electron), the SIMD kernels accumulate with a
// fused multiply-add (FunctionBody.multiplyAdd). This machine's Node 20 has it only behind a flag,
// so the kernels are checked against the CPU backend in a child Node started with that flag.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relaxedSimdAvailable } from '../../../src/engine/wasm/simd/wasmEmitter.js';
import { nnb } from '../../cli/nnb.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

describe('the SIMD kernels with a fused multiply-add (relaxed SIMD)', () => {
  it('use f32x4.relaxed_madd and equal the CPU backend within 1e-4', () => {
    const flags = relaxedSimdAvailable() ? [] : ['--experimental-wasm-relaxed-simd'];
    const r = spawnSync(
      process.execPath,
      [...flags, '--import', 'tsx', join(import.meta.dirname, 'relaxedSimdChild.ts')],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      relaxedSimd: boolean;
      fused: boolean;
      errors: Record<string, number>;
    };
    expect(out.relaxedSimd).toBe(true);
    expect(out.fused).toBe(true);
    expect(Object.keys(out.errors)).toHaveLength(4);
    for (const [name, error] of Object.entries(out.errors)) expect(error, name).toBeLessThan(1e-4);
  }, 120_000);

  it('are what `nnb` runs on this Node, whose flag bin/nnb.js switches on where it must', () => {
    const r = nnb('--version');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Node ${process.versions.node}`);
    expect(r.stdout).toContain('CPU training kernels: WebAssembly SIMD with fused multiply-add');
  });
});
