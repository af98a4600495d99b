import { useShallow } from 'zustand/react/shallow';
import { useEditor } from '../store/useEditor';
import { importedWeightsStore, startingWeights, useImportedWeights } from './importedWeights';

/**
 * In the training form while an import's weights are kept: whether the run starts from them (a
 * checkbox), and which layers take them and which start fresh after edits — said before Train,
 * never discovered after.
 */
export function StartingWeightsNote({ disabled }: { disabled: boolean }) {
  const state = useImportedWeights(useShallow((s) => ({ kept: s.kept, use: s.use })));
  const { doc, analysis } = useEditor(useShallow((s) => ({ doc: s.doc, analysis: s.analysis })));
  if (state.kept === null) return null;
  const starting = startingWeights({ ...state, use: true }, doc, analysis);
  const partial = starting !== null && starting.fit.fresh.length > 0;
  return (
    <div className="field starting-weights" data-testid="train-starting-weights">
      <label>
        <input
          type="checkbox"
          data-testid="train-use-imported"
          disabled={disabled}
          checked={state.use}
          onChange={(e) => importedWeightsStore.setState({ use: e.target.checked })}
        />{' '}
        Start from the weights imported from {state.kept.fileName}
      </label>
      <p
        className={state.use && partial ? 'field__error' : 'muted'}
        data-testid="train-starting-weights-note"
      >
        {state.use
          ? `${starting?.note ?? ''}${starting?.applies ? ' Inputs are scaled to [0, 1] (pixels/255), as the import expects.' : ''}`
          : 'Train starts from fresh weights (seed 42).'}
      </p>
    </div>
  );
}
