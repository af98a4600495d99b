import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { requestedTrainBackend } from './earlyStart.js';

/**
 * Lines that Dawn (the webgpu backend's native code) and Mesa print straight to the process's
 * stderr when a software adapter such as llvmpipe loads: no JavaScript can intercept them.
 */
export function isNativeNoise(line: string): boolean {
  return (
    /^Warning: max\w+ artificially reduced from \d+ to \d+/.test(line) ||
    /^MESA: warning: /.test(line) ||
    /^WARNING: lavapipe is not a conformant vulkan implementation/.test(line)
  );
}

/**
 * Whether this command line makes Dawn load in this process whatever the adapter: `nnb train`
 * with webgpu forced (`--backend webgpu` or NNB_BACKEND=webgpu). `auto` loads it only for a
 * hardware adapter, whose drivers do not print such warnings, after asking in a child process.
 */
export function forcesWebGpu(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return requestedTrainBackend(argv, env) === 'webgpu';
}

/** Set in the child, so that it runs the command itself. */
const CHILD = 'NNB_STDERR_FILTERED';

/** True when this process should run the command in a filtered child instead (see above). */
export function wantsFilteredChild(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return env[CHILD] !== '1' && forcesWebGpu(argv, env);
}

/**
 * Runs `script argv` again in a child process with the same stdin and stdout (progress bars and
 * colours still see the terminal) and its stderr passed on line by line without the native
 * noise. Ctrl-C reaches the child from the terminal; this process waits for it and returns its
 * exit code.
 */
export function runWithFilteredStderr(script: string, argv: readonly string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...argv], {
      stdio: ['inherit', 'inherit', 'pipe'],
      env: { ...process.env, [CHILD]: '1' },
    });
    const ignore = (): void => {};
    process.on('SIGINT', ignore);
    createInterface({ input: child.stderr }).on('line', (line) => {
      if (!isNativeNoise(line)) process.stderr.write(`${line}\n`);
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', ignore);
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}
