import { uiStore } from '../store/uiStore';

/** The side-by-side comparison of several graphs (issue 6); built in renderer/compare/. */
export function CompareView() {
  return (
    <main className="compare" data-testid="compare-view">
      <button type="button" onClick={() => uiStore.getState().set({ view: 'editor' })}>
        Back to the editor
      </button>
    </main>
  );
}
