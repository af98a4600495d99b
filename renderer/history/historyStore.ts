import { useStore } from 'zustand';
import { formatCount } from '../../src/core/format/numbers';
import { onOwnTrainEvent, trainingStore, type TrainingForm } from '../training/trainingStore';
import { editorStore } from '../store/useEditor';
import { createHistoryStore, startVersionRecorder, type HistoryState } from './versionRecorder';

/** The app's version history (tests create their own with createHistoryStore). */
export const historyStore = createHistoryStore();

/** A run's settings in words: `1 epoch · batch 64 · adam lr 0.001 · digits, 1,024 samples`. */
export function settingsText(f: TrainingForm): string {
  const samples = f.maxTrainSamples === null ? '' : `, ${formatCount(f.maxTrainSamples)} samples`;
  return `${f.epochs} epoch${f.epochs === 1 ? '' : 's'} · batch ${f.batchSize} · ${f.optimizer} lr ${f.lr} · ${f.dataset}${samples}`;
}

/** Starts recording the editor's versions and runs (once, at launch, after the autosave restore). */
export function startHistory(): () => void {
  return startVersionRecorder(historyStore, {
    editor: editorStore,
    onRunGraph: (listener) =>
      trainingStore.subscribe((s, prev) => {
        // `starting` is set together with the graph sent (the same graph may be trained twice).
        const started = s.run.status === 'starting' && prev.run.status !== 'starting';
        if (started && s.runGraph !== null) listener(s.runGraph, settingsText(s.form));
      }),
    onTrainEvent: onOwnTrainEvent,
    storage: localStorage,
  });
}

export function useHistory<T>(selector: (s: HistoryState) => T): T {
  return useStore(historyStore, selector);
}
