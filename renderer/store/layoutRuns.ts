import type { GraphDocument } from '../../src/core/graph/document';
import { applyLayout, needsLayout, stackUnplaced, type GraphLayout } from '../flow/graphLayout';

/** Computes the automatic layout of a document: ELK in a worker in the app, in-process in tests. */
export type LayoutEngine = (doc: GraphDocument) => Promise<GraphLayout>;

export const NO_ROUTES: GraphLayout['routes'] = new Map();

/** What the layout runs need of the editor store. */
export interface LayoutHost {
  readonly doc: () => GraphDocument;
  readonly setBusy: (busy: boolean) => void;
  /** Records the laid-out document as one undo step (positions only) and shows the routes. */
  readonly commitLayout: (next: GraphDocument, routes: GraphLayout['routes']) => void;
  readonly fail: (text: string) => void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The editor's asynchronous layouts. The engine answers later, so each answer is checked
 * against what happened meanwhile: a later open drops earlier opens and layouts, a later Layout
 * press drops an earlier one, and positions go only to the nodes nobody touched (applyLayout).
 */
export function layoutRuns(engine: LayoutEngine | undefined, host: LayoutHost) {
  let generation = 0;
  let presses = 0;
  return {
    /** The document was replaced without a layout (a restored session): pending ones are void. */
    replaced(): void {
      generation++;
    },

    /** Opens `raw`: laid out first when it lacks positions, then shown by `show`. */
    open(
      raw: GraphDocument,
      show: (doc: GraphDocument, routes: GraphLayout['routes']) => void,
    ): Promise<void> {
      const opened = ++generation;
      if (engine === undefined || !needsLayout(raw)) {
        show(stackUnplaced(raw), NO_ROUTES);
        return Promise.resolve();
      }
      host.setBusy(true);
      const current = () => opened === generation;
      return engine(raw).then(
        (layout) => {
          if (current()) show(applyLayout(raw, raw, layout), layout.routes);
        },
        (error: unknown) => {
          if (!current()) return;
          show(stackUnplaced(raw), NO_ROUTES);
          host.fail(`Automatic layout failed: ${message(error)}; nodes are stacked.`);
        },
      );
    },

    /** Lays out the current document (the Layout button). */
    press(): Promise<void> {
      if (engine === undefined) return Promise.resolve();
      const base = host.doc();
      const [opened, run] = [generation, ++presses];
      host.setBusy(true);
      const last = () => run === presses;
      return engine(base).then(
        (layout) => {
          if (!last()) return; // a later press will answer
          host.setBusy(false);
          if (opened === generation)
            host.commitLayout(applyLayout(base, host.doc(), layout), layout.routes);
        },
        (error: unknown) => {
          if (last()) host.setBusy(false);
          host.fail(`Automatic layout failed: ${message(error)}`);
        },
      );
    },
  };
}
