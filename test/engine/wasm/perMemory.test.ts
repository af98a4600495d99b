// perMemory keeps one value per (memory, key): the kernels' hot paths look up their generated
// functions there, and a function instantiated against one memory must never run on another.
import { describe, expect, it } from 'vitest';
import { createMemory, perMemory, type WasmMemory } from '../../../src/engine/wasm/simd/wasmApi.js';

describe('perMemory', () => {
  it('makes a value once per memory and key', () => {
    const cache = new WeakMap<WasmMemory, Map<number, { memory: WasmMemory; key: number }>>();
    const a = createMemory(65536);
    const b = createMemory(65536);
    let made = 0;
    const get = (memory: WasmMemory, key: number) =>
      perMemory(cache, memory, key, () => {
        made++;
        return { memory, key };
      });
    const first = get(a, 3);
    expect(get(a, 3)).toBe(first);
    expect(made).toBe(1);
    expect(get(a, 4)).toEqual({ memory: a, key: 4 });
    expect(get(b, 3)).toEqual({ memory: b, key: 3 });
    expect(get(b, 3).memory).toBe(b);
    expect(made).toBe(3);
  });
});
