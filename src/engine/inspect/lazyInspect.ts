import type { InspectApi } from '../../api/inspect.js';

/**
 * The inspect engine for a host, loaded on first use: importing it loads TensorFlow.js, which
 * the editor does not need at launch. Hosts import this module statically; it imports nothing.
 */
export function lazyInspect(runsDir: string): () => Promise<InspectApi> {
  let loading: Promise<InspectApi> | undefined;
  return () =>
    (loading ??= import('./InspectService.js').then(({ InspectService }) => {
      return new InspectService(runsDir);
    }));
}
