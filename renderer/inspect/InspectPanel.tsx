import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ConfusionMatrix } from '../training/ConfusionMatrix';
import { useTraining } from '../training/trainingStore';
import { useEditor } from '../store/useEditor';
import '../styles/inspect.css';
import { useCheckpointWatch } from './checkpointWatch';
import { DrawPad } from './DrawPad';
import { FeatureMaps } from './FeatureMaps';
import { FilterGrid } from './FilterGrid';
import { inspectStore, useInspect, type InspectView } from './inspectStore';
import { useShownModel } from './modelSource';
import { NodePicker, useNodeChoices } from './NodePicker';
import { SamplePicker, useSamples } from './SamplePicker';

const VIEWS: readonly { id: InspectView; label: string }[] = [
  { id: 'maps', label: 'Feature maps' },
  { id: 'filters', label: 'Filters' },
  { id: 'mistakes', label: 'Mistakes' },
];

/**
 * The Inspect tab: what the network computes inside. On the left the input (a validation image
 * or a drawing, classified live); on the right the selected node's feature maps, the first
 * conv's filters before and after training, or the validation images of a confusion cell.
 */
export function InspectPanel() {
  useCheckpointWatch();
  const model = useShownModel();
  const { view, input, untrained } = useInspect(
    useShallow((s) => ({ view: s.view, input: s.input, untrained: s.untrained })),
  );
  const selected = useEditor((s) => (s.selection.length === 1 ? s.selection[0]! : null));
  const choices = useNodeChoices();
  const picked = useInspect((s) => s.node);
  const node = useMemo(() => {
    const ids = new Set(choices.map((c) => c.id));
    if (picked !== null && ids.has(picked)) return picked;
    if (selected !== null && ids.has(selected)) return selected;
    return choices.find((c) => c.type === 'Conv2d')?.id ?? choices[0]?.id ?? null;
  }, [choices, picked, selected]);

  // A new canvas selection takes over from a node picked in the list.
  useEffect(() => {
    inspectStore.getState().set({ node: null });
  }, [selected]);

  const samples = useSamples(model.runId);
  // The first validation image is the input until the user picks another.
  useEffect(() => {
    const first = samples.status === 'done' ? samples.value.samples[0] : undefined;
    if (first && inspectStore.getState().input === null)
      inspectStore.getState().set({
        input: { kind: 'sample', index: first.index, label: first.className, image: first.image },
      });
  }, [samples]);

  const evaluation = useTraining((s) => s.run.evaluation);
  return (
    <div className="inspect" data-testid="inspect-panel">
      <aside className="inspect__input">
        <h3>Input</h3>
        <p className="muted inspect-note">
          {model.runId !== null
            ? 'Validation images of the run'
            : 'Validation images of the built-in digits'}
          {input
            ? ` · using ${input.kind === 'sample' ? `#${input.index} (a ${input.label})` : 'your drawing'}`
            : ''}
        </p>
        <SamplePicker samples={samples} />
        <h3>Draw a digit</h3>
        <DrawPad runId={model.predictWith} />
      </aside>
      <div className="inspect__main">
        <div className="inspect__bar">
          <div className="tabs tabs--small" role="tablist">
            {VIEWS.map((v) => (
              <button
                key={v.id}
                type="button"
                role="tab"
                aria-selected={view === v.id}
                data-testid={`inspect-view-${v.id}`}
                className={view === v.id ? 'is-active' : ''}
                onClick={() => inspectStore.getState().set({ view: v.id })}
              >
                {v.label}
              </button>
            ))}
          </div>
          {view !== 'mistakes' && <NodePicker choices={choices} value={node} />}
          {model.runAvailable && view !== 'mistakes' && (
            <label className="inspect-toggle">
              <input
                type="checkbox"
                data-testid="inspect-untrained"
                checked={untrained}
                onChange={(e) => inspectStore.getState().set({ untrained: e.target.checked })}
              />{' '}
              untrained
            </label>
          )}
        </div>
        <div className="inspect__view">
          {model.note && (
            <p className="muted inspect-note" data-testid="inspect-note">
              {model.note}
            </p>
          )}
          {view === 'maps' && <FeatureMaps model={model} node={node} />}
          {view === 'filters' && (
            <FilterGrid
              model={model}
              node={choices.find((c) => c.id === node)?.type === 'Conv2d' ? node : null}
            />
          )}
          {view === 'mistakes' &&
            (evaluation ? (
              <section className="inspect-card inspect-mistakes">
                <header className="inspect-card__head">
                  <h3>Mistakes · validation, epoch {evaluation.epoch}</h3>
                  <span className="muted">accuracy {(evaluation.accuracy * 100).toFixed(1)}%</span>
                </header>
                <ConfusionMatrix classes={evaluation.classNames} confusion={evaluation.confusion} />
              </section>
            ) : (
              <p className="muted inspect-empty">
                Train the network: after its first epoch, click a cell of the confusion matrix here
                to see the validation images it got wrong.
              </p>
            ))}
        </div>
      </div>
    </div>
  );
}
