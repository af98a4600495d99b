import { useShallow } from 'zustand/react/shallow';
import { useCheckpointCount, useCheckpointWatch } from '../inspect/checkpointWatch';
import { inspectStore, useInspect } from '../inspect/inspectStore';
import { MistakesGallery } from '../inspect/MistakesGallery';
import { useTraining } from './trainingStore';

/**
 * confusion[true][predicted] as a heat-map table; the diagonal is what the network got right.
 * Each cell is a button: it opens the gallery of that cell's validation images (the current run's
 * last epoch), below the table.
 */
export function ConfusionMatrix({
  classes,
  confusion,
}: {
  classes: readonly string[];
  confusion: readonly (readonly number[])[];
}) {
  useCheckpointWatch();
  const { runId, epoch } = useTraining(
    useShallow((s) => ({ runId: s.run.runId, epoch: s.run.evaluation?.epoch ?? 0 })),
  );
  // A new epoch rewrites the predictions; its checkpoint event comes after they are on disk.
  const checkpoints = useCheckpointCount(runId);
  const cell = useInspect((s) => s.cell);
  const open = cell !== null && cell.runId === runId ? cell : null;
  const max = Math.max(1, ...confusion.flat());
  return (
    <div className="confusion-view">
      <table className="confusion" data-testid="confusion-matrix">
        <thead>
          <tr>
            <th className="confusion__corner">true ╲ pred</th>
            {classes.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {confusion.map((row, i) => (
            <tr key={i}>
              <th>{classes[i]}</th>
              {row.map((n, j) => {
                const selected = open?.trueClass === i && open.predictedClass === j;
                return (
                  <td
                    key={j}
                    className={`${i === j ? 'is-diagonal' : ''}${selected ? ' is-selected' : ''}`}
                    style={{ ['--heat' as string]: String(n / max) }}
                  >
                    <button
                      type="button"
                      className="confusion__cell"
                      data-testid={`confusion-cell-${i}-${j}`}
                      disabled={runId === null || n === 0}
                      aria-pressed={selected}
                      title={`${n} samples of ${classes[i]} predicted as ${classes[j]}${n > 0 ? ': click to see them' : ''}`}
                      onClick={() =>
                        runId !== null &&
                        inspectStore.getState().set({
                          cell: selected ? null : { runId, trueClass: i, predictedClass: j },
                        })
                      }
                    >
                      {n}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {open ? (
        <MistakesGallery cell={open} version={epoch * 1000 + checkpoints} />
      ) : (
        runId !== null && (
          <p className="muted confusion__hint">Click a cell to see its validation images.</p>
        )
      )}
    </div>
  );
}
