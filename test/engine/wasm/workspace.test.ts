// Scratch blocks kept between kernel calls (src/engine/wasm/workspace.ts): the same block again
// for the same slot, grown when a call needs more, another one while it is held, and nothing left
// allocated by a nested request once it is handed back.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { wasmMemory } from '../../../src/engine/wasm/wasmKernelContext.js';
import { workspace } from '../../../src/engine/wasm/workspace.js';
import { initBackends } from './backendCompare.js';

let backend: BackendWasm;

beforeAll(async () => {
  await initBackends();
  await tf.setBackend('wasm');
  backend = tf.backend() as unknown as BackendWasm;
});

describe('workspace', () => {
  it('hands the same block back for the same slot, and grows it when asked for more', () => {
    const a = workspace(backend, 'padded-input', 4096);
    a.done();
    const b = workspace(backend, 'padded-input', 1024);
    expect(b.address).toBe(a.address);
    b.done();
    const before = backend.numDataIds();
    const c = workspace(backend, 'padded-input', 1 << 20);
    // The old block freed, a larger one in its place: one block for the slot, as before.
    expect(backend.numDataIds()).toBe(before);
    new Float32Array(wasmMemory(backend).buffer, c.address, 1 << 18).fill(1);
    c.done();
    const d = workspace(backend, 'padded-input', 1 << 20);
    expect(d.address).toBe(c.address);
    d.done();
  });

  it('gives a held slot to a second request as a block of its own, freed when handed back', () => {
    const outer = workspace(backend, 'winograd-scratch', 256);
    const before = backend.numDataIds();
    const inner = workspace(backend, 'winograd-scratch', 256);
    expect(inner.address).not.toBe(outer.address);
    expect(backend.numDataIds()).toBe(before + 1);
    inner.done();
    expect(backend.numDataIds()).toBe(before);
    outer.done();
    const again = workspace(backend, 'winograd-scratch', 256);
    expect(again.address).toBe(outer.address);
    again.done();
  });

  it('keeps slots apart', () => {
    const u = workspace(backend, 'winograd-u', 512);
    const s = workspace(backend, 'winograd-scratch', 512);
    expect(u.address).not.toBe(s.address);
    s.done();
    u.done();
  });
});
