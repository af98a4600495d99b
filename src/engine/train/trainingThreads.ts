// How many threads a training uses, decided from nothing heavier than node:os — so that `nnb train`
// can start the second thread's worker before it loads the rest of the program (src/cli/earlyStart.ts).
import { availableParallelism } from 'node:os';

/**
 * Threads for a training on `backend`: data-parallel needs the single-threaded WASM backend
 * (native backends use every core themselves) and a second core. NNB_THREADS=1 forces one.
 */
export function threadsFor(
  backend: string,
  env: NodeJS.ProcessEnv = process.env,
  cores = availableParallelism(),
): 1 | 2 {
  const forced = env.NNB_THREADS === undefined ? NaN : Number(env.NNB_THREADS);
  if (forced === 1 || backend !== 'wasm') return 1;
  return cores >= 2 || forced >= 2 ? 2 : 1;
}
