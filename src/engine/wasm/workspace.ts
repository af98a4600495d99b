// Scratch blocks on the wasm heap kept between kernel calls: one per memory and slot (a kind of
// scratch: Winograd's transformed filter, its passes' buffers, a padded input), grown as needed,
// never freed while the backend lives. Allocated and freed at every call instead, a large block
// came from wherever tfjs' allocator had room — cold in the caches and the TLB — and its malloc
// and free walked cold heap metadata: a ResNet-20 step at batch 32 ran ~4 ms faster on one thread
// with Winograd's two blocks kept (docs/performance.md).
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs';
import type { WasmMemory } from './simd/wasmApi.js';
import { heapAddress, release, wasmMemory } from './wasmKernelContext.js';

/** What a kernel uses a workspace for; each is one block per memory. */
export type Slot =
  | 'winograd-u'
  | 'winograd-scratch'
  | 'padded-input'
  | 'lane-sums'
  | 'channel-vectors'
  | 'moments-constants';

interface Block {
  readonly info: tf.TensorInfo;
  readonly bytes: number;
}

interface Kept {
  readonly blocks: Map<Slot, Block>;
  readonly busy: Set<Slot>;
}

const kept = new WeakMap<WasmMemory, Kept>();

/** A workspace of at least `bytes` bytes: its byte address, and `done` to hand it back. */
export interface Workspace {
  readonly address: number;
  readonly done: () => void;
}

/**
 * The slot's block on this backend's memory, grown to `bytes` if smaller. Its contents are
 * whatever the last user left. While it is held (until `done`), a second request for the same
 * slot — a nested kernel, which none makes today — gets a block of its own, freed by its `done`.
 */
export function workspace(backend: BackendWasm, slot: Slot, bytes: number): Workspace {
  const memory = wasmMemory(backend);
  let state = kept.get(memory);
  if (state === undefined) {
    state = { blocks: new Map(), busy: new Set() };
    kept.set(memory, state);
  }
  const floats = Math.max(1, Math.ceil(bytes / 4));
  if (state.busy.has(slot)) {
    const own = backend.makeOutput([floats], 'float32');
    return { address: heapAddress(backend, own), done: () => release(backend, own) };
  }
  let block = state.blocks.get(slot);
  if (block === undefined || block.bytes < bytes) {
    if (block !== undefined) release(backend, block.info);
    block = { info: backend.makeOutput([floats], 'float32'), bytes: floats * 4 };
    state.blocks.set(slot, block);
  }
  const busy = state.busy;
  busy.add(slot);
  return { address: heapAddress(backend, block.info), done: () => busy.delete(slot) };
}
