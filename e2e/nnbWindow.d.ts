import type { GraphDocument } from '../src/core/graph/document';

declare global {
  interface Window {
    /** The app's test hooks (renderer/main.tsx). */
    nnb: { getGraph(): GraphDocument; loadGraph(doc: unknown): void };
  }
}
