// What `nnb train` starts before it loads the rest of the program: bin/nnb.js imports this module
// first (it loads nothing heavier than node:os, node:fs, node:worker_threads and
// node:child_process).
import { prestartGradientWorker } from '../engine/wasm/RemoteReplica.js';
import { threadsFor } from '../engine/train/trainingThreads.js';
import { probeAdapter } from '../engine/webgpu/adapterProbe.js';
import { noGpuDevice } from '../engine/webgpu/gpuDevices.js';

/** The backend a `nnb train` command line asks for (flag, else NNB_BACKEND, else auto); else null. */
export function requestedTrainBackend(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): string | null {
  if (argv[0] !== 'train') return null;
  const i = argv.indexOf('--backend');
  const flag = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--backend='))?.slice(10);
  return flag ?? env.NNB_BACKEND ?? 'auto';
}

/**
 * Whether the command is a training that may run on WASM with two threads, so that its
 * data-parallel gradient worker is worth starting before anything else (see startEarly).
 */
export function earlyWorkerWanted(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cores?: number,
): boolean {
  const backend = requestedTrainBackend(argv, env);
  return (backend === 'auto' || backend === 'wasm') && threadsFor('wasm', env, cores) === 2;
}

/**
 * Whether the command is a training whose backend choice asks Dawn for a GPU adapter (`webgpu`,
 * or `auto` where a GPU device may exist: `noDevice` is noGpuDevice's answer): that probe, a child
 * process, is then worth starting before anything else.
 */
export function earlyProbeWanted(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  noDevice: string | null = noGpuDevice(),
): boolean {
  const backend = requestedTrainBackend(argv, env);
  return backend === 'webgpu' || (backend === 'auto' && noDevice === null);
}

/**
 * Starts the gradient worker now when earlyWorkerWanted: its start-up (about 0.4 s) then runs on
 * the second core while this one loads the program and the data. If the run ends up on another
 * backend or one thread, the worker is ended unused. Likewise the GPU adapter probe when
 * earlyProbeWanted: its answer is remembered for the process (adapterProbe.ts), so the backend
 * choice no longer waits for it after the program has loaded (measured: the first batch ~50 ms
 * sooner, docs/performance.md).
 */
export function startEarly(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  if (earlyProbeWanted(argv, env)) void probeAdapter();
  if (earlyWorkerWanted(argv, env)) prestartGradientWorker();
}
