import ELK from 'elkjs/lib/elk-api';
// The worker script as shipped by elkjs, served as a file of its own (Vite copies it verbatim).
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import type { GraphDocument, GraphNode } from '../../src/core/graph/document';
import {
  computeLayout,
  estimatedSize,
  type ElkLayouter,
  type GraphLayout,
  type Size,
} from './graphLayout';

/**
 * Node sizes as React Flow measured them (the canvas fills this map): the layout leaves room
 * for a node's real height, e.g. one showing an error and its fix. Unmeasured nodes — a file
 * just being opened — get `estimatedSize`.
 */
export const measuredNodeSizes = new Map<string, Size>();

interface WorkerElk {
  readonly elk: ElkLayouter;
  /** Rejects when the worker cannot start or crashes; a layout then fails instead of hanging. */
  readonly failed: Promise<never>;
}

let current: WorkerElk | null = null;

function workerElk(): WorkerElk {
  if (current !== null) return current;
  let fail: (reason: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined); // only a layout that is waiting reports it
  const elk = new ELK({
    workerUrl: elkWorkerUrl,
    workerFactory: (url) => {
      const worker = new Worker(url ?? elkWorkerUrl);
      worker.addEventListener('error', (e) => {
        fail(new Error(`the layout worker stopped: ${e.message || 'it could not start'}`));
        current = null; // the next layout starts a fresh worker
      });
      return worker;
    },
  });
  current = { elk, failed };
  return current;
}

/** Starts the layout worker ahead of the first layout, so opening a template does not wait for it. */
export function warmUpLayout(): void {
  workerElk();
}

/**
 * The app's layout engine: ELK's layered algorithm in a Web Worker, so even a 500-node network is
 * laid out without blocking the page (see docs/performance.md for the numbers).
 */
export async function layoutInWorker(doc: GraphDocument): Promise<GraphLayout> {
  const { elk, failed } = workerElk();
  const sizeOf = (node: GraphNode) => measuredNodeSizes.get(node.id) ?? estimatedSize(node);
  // User Timing entries, as the performance journey reads them: 'nnb-layout-post', the part on
  // this thread (building ELK's graph, posting it); 'nnb-layout', call to answer.
  const start = performance.now();
  const answer = computeLayout(elk, doc, sizeOf);
  performance.measure('nnb-layout-post', { start });
  try {
    return await Promise.race([answer, failed]);
  } finally {
    performance.measure('nnb-layout', { start, detail: { nodes: doc.nodes.length } });
  }
}
