import tf from './tfjs.cjs';
import { BACKEND_NAMES, type BackendChoice, type BackendName } from '../api/training.js';
import { loadWebGpu } from './webgpu/loadWebGpu.js';

/** The npm package that provides each native backend (optional: not a dependency). */
const NATIVE_PACKAGES: Readonly<Partial<Record<BackendName, string>>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

/** The optional npm package(s) a backend needs, for the "install …" hint. */
const PACKAGE_HINT: Readonly<Partial<Record<BackendName, string>>> = {
  ...NATIVE_PACKAGES,
  webgpu: 'the optional packages webgpu and @tensorflow/tfjs-backend-webgpu',
};

/** tfjs's registry name of each backend (both native packages register 'tensorflow'). */
const TFJS_NAME: Readonly<Record<BackendName, string>> = {
  'tensorflow-gpu': 'tensorflow',
  tensorflow: 'tensorflow',
  webgpu: 'webgpu',
  wasm: 'wasm',
  cpu: 'cpu',
};

export interface BackendSelection {
  readonly backend: BackendName;
  /** The GPU of a `webgpu` backend, in words; null for the others. */
  readonly device: string | null;
  /** Why each better backend was passed over, e.g. `tensorflow: Cannot find package …`. */
  readonly skipped: readonly string[];
}

/** A forced backend that cannot load; the message says which and why. */
export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendError';
  }
}

/** `auto`, unless the NNB_BACKEND environment variable names a backend (a flag beats both). */
export function backendFromEnv(choice: BackendChoice): BackendChoice {
  const env = process.env.NNB_BACKEND;
  if (choice !== 'auto' || env === undefined || env === '' || env === 'auto') return choice;
  if (!(BACKEND_NAMES as readonly string[]).includes(env)) {
    throw new BackendError(
      `NNB_BACKEND is "${env}"; use one of auto, ${BACKEND_NAMES.join(', ')}.`,
    );
  }
  return env as BackendName;
}

/**
 * Production mode: tfjs then skips its debug checks and its console advice ("install
 * tfjs-node…"), which would otherwise land in the middle of the CLI's output.
 */
export function quietTfjs(): void {
  if (!tf.env().getBool('PROD')) tf.env().set('PROD', true);
}

/** Loads a backend; returns the GPU's description for `webgpu`. */
async function load(name: BackendName, forced: boolean): Promise<string | null> {
  quietTfjs();
  let device: string | null = null;
  const pkg = NATIVE_PACKAGES[name];
  if (pkg !== undefined) {
    // A variable specifier: the native packages are optional and usually absent (their install
    // downloads libtensorflow); a static import would make them hard dependencies.
    await import(pkg);
  } else if (name === 'wasm') {
    const { registerWasmTrainingKernels } = await import('./wasm/index.js');
    // Our gradient kernels must be registered before the backend initializes (ENGINE-NOTES).
    await registerWasmTrainingKernels();
  } else if (name === 'webgpu') {
    // `auto` takes a hardware adapter only: llvmpipe and other software adapters are slower
    // than our WASM kernels. Forced, any adapter will do (the tests run on llvmpipe).
    device = (await loadWebGpu(forced)).description;
  }
  const ok = await tf.setBackend(TFJS_NAME[name]);
  if (!ok) throw new Error(`tf.setBackend('${TFJS_NAME[name]}') failed`);
  await tf.ready();
  return device;
}

/**
 * Activates the requested backend, or with `auto` the best that loads:
 * tensorflow-gpu → tensorflow → webgpu (a hardware GPU adapter only) → wasm → cpu. A named
 * backend that cannot load is an error, not a silent fallback: the user asked for it.
 */
export async function selectBackend(
  requested: BackendChoice,
  exclude: readonly BackendName[] = [],
): Promise<BackendSelection> {
  const choice = backendFromEnv(requested);
  if (choice !== 'auto') {
    try {
      const device = await load(choice, true);
      return { backend: choice, device, skipped: [] };
    } catch (error) {
      throw new BackendError(
        `The ${choice} backend cannot load here (${reason(error)}).` +
          (PACKAGE_HINT[choice] ? ` Install ${PACKAGE_HINT[choice]}, or` : '') +
          ' use --backend auto to take the best available.',
      );
    }
  }
  const skipped: string[] = [];
  for (const name of BACKEND_NAMES) {
    if (exclude.includes(name)) continue;
    try {
      const device = await load(name, false);
      return { backend: name, device, skipped };
    } catch (error) {
      skipped.push(`${name}: ${reason(error)}`);
    }
  }
  throw new BackendError(`No TensorFlow.js backend loads: ${skipped.join('; ')}.`);
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot find (package|module)/.test(message)) return 'not installed';
  return message.split('\n')[0] ?? message;
}
