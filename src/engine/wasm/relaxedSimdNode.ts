// WebAssembly relaxed SIMD in Node 20: its V8 (11.3) has the instructions, but only behind
// --experimental-wasm-relaxed-simd; V8 11.4 (Node 22, every Electron we support) turned them on by
// default, unchanged. With them the CPU kernels accumulate with a fused multiply-add
// (FunctionBody.multiplyAdd): whole `nnb train` runs 6–7 % shorter (docs/performance.md).
//
// The program's entry points (bin/nnb.js, the web server, the benchmark) call this first, before
// any WebAssembly is compiled and before a worker thread starts, so that it acts as the flag given
// on the command line would: V8's flags are the process's, every thread then sees the same
// instructions and computes the same floats.
import { setFlagsFromString } from 'node:v8';
import { relaxedSimdAvailable, resetRelaxedSimdCheck } from './simd/wasmEmitter.js';

const FLAG = '--experimental-wasm-relaxed-simd';

/** Node's major version. */
function nodeMajor(): number {
  return Number(process.versions.node.split('.')[0]);
}

/**
 * Switches relaxed SIMD on where this Node has it behind the flag (Node 20 and 21); returns
 * whether the engine now validates it. Elsewhere it changes nothing.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdAvailable()) return true;
  const major = nodeMajor();
  if (major !== 20 && major !== 21) return false;
  setFlagsFromString(FLAG);
  resetRelaxedSimdCheck();
  return relaxedSimdAvailable();
}
