import { useShallow } from 'zustand/react/shallow';
import { getEngine } from '../api/engine';
import { useInspect, type InspectInput } from './inspectStore';
import { MapGrid } from './MapGrid';
import type { ShownModel } from './modelSource';
import { pixelImageInput } from './pixels';
import { shownValue, useRequest } from './useRequest';

function inputKey(input: InspectInput): string {
  return input.kind === 'sample' ? `sample:${input.index}` : `drawing:${input.image.pixels}`;
}

/** The selected node's output for the chosen input, one small image per channel. */
export function FeatureMaps({ model, node }: { model: ShownModel; node: string | null }) {
  const { input, scale } = useInspect(useShallow((s) => ({ input: s.input, scale: s.scale })));
  const key = model.source && node && input ? `${model.key}|${node}|${inputKey(input)}` : null;
  const state = useRequest(key, (lane) =>
    getEngine().inspect.activations({
      source: model.source!,
      node: node!,
      image: pixelImageInput(input!.image),
      lane,
    }),
  );
  const result = shownValue(state);
  let body;
  if (model.why) body = <p className="muted">{model.why}</p>;
  else if (node === null)
    body = <p className="muted">Select a node on the canvas to see its output.</p>;
  else if (input === null)
    body = <p className="muted">Choose an input image on the left, or draw one.</p>;
  else if (state.status === 'error')
    body = (
      <p className="field__error" role="alert">
        {state.message}
        {model.trained && /has no node/.test(state.message)
          ? ' It was probably added after training: tick "untrained" to see it, or train again.'
          : ''}
      </p>
    );
  else if (result === null) body = <p className="muted">Computing the feature maps…</p>;
  else body = <MapGrid result={result} scale={scale} />;
  return (
    <section
      className={`inspect-card inspect-maps${state.status === 'loading' ? ' is-loading' : ''}`}
      data-testid="feature-maps"
      aria-busy={state.status === 'loading'}
    >
      <header className="inspect-card__head">
        <h3>Feature maps{node ? ` · ${node}` : ''}</h3>
        <WeightsBadge model={model} epoch={result?.epoch ?? null} />
      </header>
      {body}
    </section>
  );
}

/** Says whose weights the maps come from: the trained run or the untrained graph. */
export function WeightsBadge({ model, epoch }: { model: ShownModel; epoch: number | null }) {
  return (
    <span
      className={`inspect-badge${model.trained || model.importedFrom !== null ? ' is-trained' : ''}`}
      data-testid="inspect-weights"
    >
      {model.trained
        ? `trained${epoch !== null ? ` · best epoch ${epoch}` : ''}`
        : model.importedFrom !== null
          ? `imported · ${model.importedFrom}`
          : 'untrained · initial weights, seed 42'}
    </span>
  );
}
