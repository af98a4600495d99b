import { useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { budgetRows } from '../../src/core/budgets/budgetRows';
import { compareGraphs } from '../../src/core/compare/compareGraphs';
import { resultRows } from '../../src/core/compare/resultRows';
import { getEngine } from '../api/engine';
import { CompareBudgets } from '../budgets/CompareBudgets';
import { editorStore } from '../store/useEditor';
import { uiStore } from '../store/uiStore';
import { useTraining } from '../training/trainingStore';
import {
  openChosenComparison,
  openComparison,
  registerCompareInput,
  saveComparison,
} from './compareFiles';
import { compareStore, useCompare } from './compareStore';
import { CompareTable } from './CompareTable';
import { OverlayChart } from './OverlayChart';
import { TrainSettings } from './TrainSettings';

const backToEditor = () => uiStore.getState().set({ view: 'editor' });

/** The editor's graph as a new column, named after the document. */
export function addEditorGraph(): void {
  const { doc, file } = editorStore.getState();
  compareStore.getState().addVariant(doc, doc.name ?? file.name.replace(/\.nnb\.json$/, ''));
}

/** The side-by-side comparison of several graphs (issue 6): table, overlaid curves, lessons. */
export function CompareView() {
  const s = useCompare(
    useShallow((c) => ({
      doc: c.doc,
      file: c.file,
      dirty: c.dirty,
      runs: c.runs,
      busy: c.training,
      metric: c.metric,
      showFormulas: c.showFormulas,
    })),
  );
  const available = useTraining((t) => t.available);
  const editorTraining = useTraining((t) =>
    ['starting', 'running', 'paused'].includes(t.run.status),
  );
  const store = compareStore.getState();
  const { variants, training } = s.doc;
  // Results change on every training batch; the architecture rows only when a graph or name does.
  const columns = useSameItems<unknown>([
    ...variants.map((v) => v.graph),
    ...variants.map((v) => v.name),
  ]);
  const comparison = useMemo(
    () => compareGraphs(variants),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `columns` holds every input that matters
    [columns],
  );
  const budgets = useMemo(
    () => budgetRows(variants.map((v) => v.graph)),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `columns` holds every graph
    [columns],
  );
  const rows = useMemo(
    () => [...comparison.rows, ...resultRows(variants, training)],
    [comparison, variants, training],
  );
  const openInEditor = (index: number) => {
    const v = variants[index];
    if (!v) return;
    editorStore.getState().load(v.graph, { name: `${v.name}.nnb.json`, path: null });
    backToEditor();
  };
  return (
    <main className="compare" data-testid="compare-view">
      <header className="compare__bar">
        <button type="button" data-testid="compare-back" onClick={backToEditor}>
          ← Back to the editor
        </button>
        <div className="compare__title">
          {s.dirty && (
            <span className="dirty-dot" aria-label="unsaved changes">
              ●
            </span>
          )}
          <input
            key={s.doc.title}
            aria-label="Comparison title"
            data-testid="compare-title"
            defaultValue={s.doc.title}
            onBlur={(e) => {
              if (e.target.value !== s.doc.title) store.setTitle(e.target.value);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.currentTarget.blur();
            }}
          />
        </div>
        <div className="toolbar__group">
          <button
            type="button"
            data-testid="compare-open"
            onClick={() => void openComparison()}
            disabled={s.busy}
          >
            Open
          </button>
          <button
            type="button"
            data-testid="compare-save"
            onClick={() => void saveComparison(false)}
            disabled={s.busy}
          >
            Save
          </button>
          <button
            type="button"
            data-testid="compare-add-editor"
            onClick={addEditorGraph}
            disabled={s.busy}
            title="Add the graph open in the editor as a new column"
          >
            + Add the editor’s graph
          </button>
        </div>
        <div className="toolbar__group">
          {s.busy ? (
            <button
              type="button"
              className="danger"
              data-testid="compare-stop"
              onClick={() => void store.stop(getEngine().training)}
            >
              ■ Stop
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              data-testid="compare-train-all"
              disabled={variants.length === 0 || available === false || editorTraining}
              title={
                available === false
                  ? 'Training is unavailable: this host runs without the training engine'
                  : editorTraining
                    ? 'The editor is training a network: stop it first (one training at a time)'
                    : 'Train every variant with the same settings: side by side when the machine has the cores, else one after another'
              }
              onClick={() => void store.trainAll(getEngine().training)}
            >
              ▶ Train all
            </button>
          )}
        </div>
      </header>
      <div className="compare__body">
        {s.doc.description && (
          <section className="compare__lesson" data-testid="compare-description">
            <h2 className="panel-title">Lesson</h2>
            <p>{s.doc.description}</p>
          </section>
        )}
        {comparison.problems.length > 0 && (
          <ul className="compare__problems" data-testid="compare-problems">
            {comparison.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        {variants.length === 0 ? (
          <div className="compare__empty">
            <h2>No variants yet</h2>
            <p>Add the editor’s graph, open a saved comparison, or pick a lesson in Templates.</p>
          </div>
        ) : (
          <>
            <div className="compare__section-head">
              <h2 className="panel-title">Architecture and results</h2>
              <label className="compare__toggle">
                <input
                  type="checkbox"
                  checked={s.showFormulas}
                  onChange={(e) => store.setShowFormulas(e.target.checked)}
                />
                Formulas
              </label>
            </div>
            <div className="compare__table-scroll">
              <CompareTable
                variants={variants}
                rows={rows}
                budgets={budgets}
                runs={s.runs}
                busy={s.busy}
                showFormulas={s.showFormulas}
                onRename={(i, name) => store.renameVariant(i, name)}
                onOpen={openInEditor}
                onRemove={(i) => store.removeVariant(i)}
              />
            </div>
            <div className="compare__section-head">
              <h2 className="panel-title">Budgets · the same targets for every variant</h2>
            </div>
            <CompareBudgets variants={variants} />
            <div className="compare__section-head">
              <h2 className="panel-title">Training · the same settings for every variant</h2>
            </div>
            <TrainSettings training={training} busy={s.busy} />
            <section className="compare__curves">
              <div className="compare__section-head">
                <h2 className="panel-title">Curves</h2>
                <div className="segmented" role="group" aria-label="Curve metric">
                  {(['loss', 'accuracy'] as const).map((m) => (
                    <button
                      key={m}
                      type="button"
                      data-testid={`compare-metric-${m}`}
                      aria-pressed={s.metric === m}
                      className={s.metric === m ? 'is-active' : undefined}
                      onClick={() => store.setMetric(m)}
                    >
                      {m === 'loss' ? 'Loss' : 'Accuracy'}
                    </button>
                  ))}
                </div>
              </div>
              <OverlayChart
                variants={variants.map((v) => ({ name: v.name, result: v.result }))}
                metric={s.metric}
              />
            </section>
          </>
        )}
      </div>
      <input
        ref={registerCompareInput}
        type="file"
        accept=".json,.nnb-compare.json,application/json"
        hidden
        data-testid="compare-open-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void openChosenComparison(file);
        }}
      />
    </main>
  );
}

/** The previous array while its items are the same objects, so memos keyed on it hold. */
function useSameItems<T>(items: readonly T[]): readonly T[] {
  const ref = useRef(items);
  const prev = ref.current;
  if (prev.length !== items.length || prev.some((x, i) => x !== items[i])) ref.current = items;
  return ref.current;
}
