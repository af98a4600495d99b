import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelSourceInput } from '../../src/api/inspect';
import type { GraphDocument } from '../../src/core/graph/document';
import { useEditor } from '../store/useEditor';
import { useTraining } from '../training/trainingStore';
import { useCheckpointCount } from './checkpointWatch';
import { useInspect } from './inspectStore';

/** The seed an untrained graph is shown with: TrainConfig's default, so a run starts from it. */
export const UNTRAINED_SEED = 42;

export interface ShownModel {
  /** What to send, or null with `why` when there is nothing to look at. */
  readonly source: ModelSourceInput | null;
  /** Changes whenever the weights behind `source` change (a new checkpoint, an edit). */
  readonly key: string;
  readonly trained: boolean;
  /** The run whose weights are shown, or whose data the samples come from. */
  readonly runId: string | null;
  /** A trained run exists (even when the untrained graph is shown by choice). */
  readonly runAvailable: boolean;
  readonly why: string | null;
}

/** FNV-1a: a short key for a long string (the graph), for caching answers per graph. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** The graph without positions: moving a node changes no weights. */
function graphKey(doc: GraphDocument): string {
  return hash(JSON.stringify({ n: doc.nodes.map(({ ui: _ui, ...n }) => n), e: doc.edges }));
}

/**
 * The weights the Inspect views show: the current run's trained checkpoint once it has one,
 * else (or by choice) the editor's graph with the weights training would start from.
 */
export function useShownModel(): ShownModel {
  const { doc, hasErrors } = useEditor(
    useShallow((s) => ({ doc: s.doc, hasErrors: s.analysis.hasErrors })),
  );
  const run = useTraining(
    useShallow((s) => ({
      runId: s.run.runId,
      status: s.run.status,
      epochs: s.run.epochPoints.length,
    })),
  );
  const seen = useCheckpointCount(run.runId);
  const untrained = useInspect((s) => s.untrained);
  const docKey = useMemo(() => graphKey(doc), [doc]);
  const settled = run.status !== 'running' && run.status !== 'starting';
  const runAvailable = run.runId !== null && (seen > 0 || (settled && run.epochs > 0));
  if (runAvailable && !untrained && run.runId !== null) {
    return {
      source: { kind: 'run', runId: run.runId, checkpoint: 'best' },
      key: `run:${run.runId}:${seen}:${run.epochs}:${run.status}`,
      trained: true,
      runId: run.runId,
      runAvailable,
      why: null,
    };
  }
  return {
    source: hasErrors ? null : { kind: 'graph', graph: doc, seed: UNTRAINED_SEED },
    key: `graph:${docKey}`,
    trained: false,
    runId: runAvailable ? run.runId : null,
    runAvailable,
    why: hasErrors ? 'The network has errors (see Problems); fix them to look inside it.' : null,
  };
}
