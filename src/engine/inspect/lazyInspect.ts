import type { InspectApi } from '../../api/inspect.js';

/**
 * The inspect engine for a host, loaded on first use: importing it loads TensorFlow.js, which
 * the editor does not need at launch. Hosts import this module statically; it imports nothing.
 * It runs on the best backend that loads (WASM here: ResNet-18's deepest block in ~0.4 s instead
 * of ~8 s on the plain-JS CPU backend); when none does, on tfjs's default.
 */
export function lazyInspect(runsDir: string): () => Promise<InspectApi> {
  let loading: Promise<InspectApi> | undefined;
  return () =>
    (loading ??= (async () => {
      const [{ InspectService }, { selectBackend }] = await Promise.all([
        import('./InspectService.js'),
        import('../selectBackend.js'),
      ]);
      await selectBackend('auto').catch(() => undefined);
      return new InspectService(runsDir);
    })());
}
