import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelSourceInput } from '../../src/api/inspect';
import type { GraphDocument } from '../../src/core/graph/document';
import { graphKey } from '../store/graphKey';

export { graphKey };
import { useEditor } from '../store/useEditor';
import {
  startingWeights,
  useImportedWeights,
  type StartingWeights,
} from '../training/importedWeights';
import type { RunStatus } from '../training/trainingState';
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
  /** Said beside untrained weights when a run exists but trained another graph. */
  readonly note: string | null;
  /** The model file whose imported weights are shown (not trained here yet); null otherwise. */
  readonly importedFrom: string | null;
  /** The run (or import) a drawn digit is classified with; null: none fits the graph. */
  readonly predictWith: string | null;
}

/** What decides the shown weights: the editor's graph, the current run, the user's choice. */
export interface ModelInputs {
  readonly doc: GraphDocument;
  readonly docKey: string;
  readonly hasErrors: boolean;
  readonly runId: string | null;
  /** graphKey of the graph the run trains (null: no run started here). */
  readonly runGraphKey: string | null;
  readonly status: RunStatus;
  /** Epochs the run has completed (each wrote a checkpoint). */
  readonly epochs: number;
  /** Checkpoint events seen for the run since the views started listening. */
  readonly checkpoints: number;
  readonly untrained: boolean;
  /** The kept import's weights for this graph (renderer/training/importedWeights.ts). */
  readonly starting?: StartingWeights | null;
}

/**
 * The weights the Inspect views show: the current run's trained checkpoint once it has one,
 * else (or by choice) the editor's graph with the weights training would start from.
 */
export function shownModel(m: ModelInputs): ShownModel {
  // While running, an epoch's events come before its checkpoint is written: wait for the event.
  const settled = m.status !== 'running' && m.status !== 'starting';
  // A run's weights fit only the graph it trained: after an edit or another file, show this one's.
  const sameGraph = m.runGraphKey === m.docKey;
  const trainedRun = m.runId !== null && (m.checkpoints > 0 || (settled && m.epochs > 0));
  const runAvailable = trainedRun && sameGraph;
  if (runAvailable && !m.untrained && m.runId !== null) {
    return {
      source: { kind: 'run', runId: m.runId, checkpoint: 'best' },
      key: `run:${m.runId}:${m.checkpoints}:${m.epochs}:${m.status}`,
      trained: true,
      runId: m.runId,
      runAvailable,
      why: null,
      note: null,
      importedFrom: null,
      predictWith: m.runId,
    };
  }
  const imported = m.starting?.applies === true && !m.untrained ? m.starting : null;
  return {
    source: m.hasErrors
      ? null
      : {
          kind: 'graph',
          graph: m.doc,
          seed: UNTRAINED_SEED,
          ...(imported && { weightsFrom: imported.importId }),
        },
    key: `graph:${m.docKey}:${imported?.importId ?? ''}`,
    trained: false,
    runId: runAvailable ? m.runId : null,
    runAvailable,
    why: m.hasErrors ? 'The network has errors (see Problems); fix them to look inside it.' : null,
    note: imported
      ? imported.note
      : trainedRun && !sameGraph
        ? 'The last run trained a different graph (or this one before an edit): these are the initial weights. Train this graph to look inside it trained.'
        : null,
    importedFrom: imported?.fileName ?? null,
    // The host's import folder holds the import's own graph: it classifies only that graph.
    predictWith: runAvailable ? m.runId : imported?.unedited ? imported.importId : null,
  };
}

/** shownModel of the app's stores. */
export function useShownModel(): ShownModel {
  const { doc, hasErrors } = useEditor(
    useShallow((s) => ({ doc: s.doc, hasErrors: s.analysis.hasErrors })),
  );
  const run = useTraining(
    useShallow((s) => ({
      runGraph: s.runGraph,
      runId: s.run.runId,
      status: s.run.status,
      epochs: s.run.epochPoints.length,
    })),
  );
  const checkpoints = useCheckpointCount(run.runId);
  const untrained = useInspect((s) => s.untrained);
  const imports = useImportedWeights(useShallow((s) => ({ kept: s.kept, use: s.use })));
  const analysis = useEditor((s) => s.analysis);
  const docKey = useMemo(() => graphKey(doc), [doc]);
  const { runGraph, ...current } = run;
  const runGraphKey = useMemo(() => (runGraph ? graphKey(runGraph) : null), [runGraph]);
  const starting = useMemo(() => startingWeights(imports, doc, analysis), [imports, doc, analysis]);
  return shownModel({
    doc,
    docKey,
    hasErrors,
    ...current,
    runGraphKey,
    checkpoints,
    untrained,
    starting,
  });
}
