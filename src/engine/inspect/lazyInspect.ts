import type { InspectApi } from '../../api/inspect.js';

/**
 * The inspect engine for a host, loaded on first use. It answers in a worker thread
 * (InspectWorkerClient) on the best backend that loads there (WASM here: ResNet-18's deepest
 * block in ~0.4 s instead of ~8 s on the plain-JS CPU backend). Hosts import this module
 * statically; it imports nothing heavy.
 */
export function lazyInspect(runsDir: string): () => Promise<InspectApi> {
  let loading: Promise<InspectApi> | undefined;
  return () =>
    (loading ??= import('./InspectWorkerClient.js').then(
      ({ InspectWorkerClient }) => new InspectWorkerClient(runsDir),
    ));
}
