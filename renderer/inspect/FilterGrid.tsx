import { useMemo, useState } from 'react';
import type { FloatTensor } from '../../src/api/inspect';
import { getEngine } from '../api/engine';
import type { ShownModel } from './modelSource';
import { PixelCanvas } from './PixelCanvas';
import { absMax, formatValue, kernelRgba, tensorValues } from './pixels';
import { shownValue, useRequest } from './useRequest';

const MAX_FILTERS = 64;

/**
 * A Conv2d's kernels as images, before and after training side by side: the first conv of the
 * graph, or the selected node when it is a Conv2d.
 */
export function FilterGrid({ model, node }: { model: ShownModel; node: string | null }) {
  // The filters always come from the run when there is one: "before" is its initial/.
  const source =
    model.runAvailable && model.runId !== null
      ? ({ kind: 'run', runId: model.runId, checkpoint: 'best' } as const)
      : model.source;
  const key = source ? `${model.key}|${model.runAvailable}|${node ?? ''}` : null;
  const state = useRequest(key, (lane) =>
    getEngine().inspect.filters({ source: source!, node, lane }),
  );
  const [channel, setChannel] = useState(0);
  const result = shownValue(state);
  const inputs = result?.initial?.shape[1] ?? result?.trained?.shape[1] ?? 1;
  const showChannel = Math.min(channel, inputs - 1);
  return (
    <section
      className={`inspect-card inspect-filters${state.status === 'loading' ? ' is-loading' : ''}`}
      data-testid="filters"
      aria-busy={state.status === 'loading'}
    >
      <header className="inspect-card__head">
        <h3>Filters{result ? ` · ${result.node}` : ''}</h3>
        {result?.initial && (
          <span className="muted" data-testid="filters-shape">
            {result.initial.shape[0]} filters of {result.initial.shape.slice(1).join('×')}
          </span>
        )}
        {inputs !== 1 && inputs !== 3 && (
          <label className="inspect-toggle">
            input channel{' '}
            <input
              type="number"
              min={1}
              max={inputs}
              value={showChannel + 1}
              onChange={(e) => setChannel(Math.max(0, Number(e.target.value) - 1))}
            />{' '}
            of {inputs}
          </label>
        )}
      </header>
      {model.why && !model.runAvailable ? (
        <p className="muted">{model.why}</p>
      ) : state.status === 'error' ? (
        // A network without convolutions is a fact to state, not an error.
        /no Conv2d layer/.test(state.message) ? (
          <p className="muted">{state.message} Filters are the kernels of Conv2d layers.</p>
        ) : (
          <p className="field__error" role="alert">
            {state.message}
          </p>
        )
      ) : result === null ? (
        <p className="muted">Loading the filters…</p>
      ) : (
        <>
          <p className="muted inspect-note">
            Grey: 0 is mid-grey, positive weights lighter, negative darker; each side scaled to its
            own largest |w|{inputs === 3 ? '; the 3 input channels as RGB' : ''}.
          </p>
          <div className="inspect-filters__pair">
            <KernelPanel
              title="Before training"
              testId="filters-before"
              tensor={result.initial}
              channel={showChannel}
              empty="This run kept no initial weights (trained before initial/ was saved)."
            />
            <KernelPanel
              title={
                result.trainedEpoch !== null
                  ? `After training (best epoch ${result.trainedEpoch})`
                  : 'After training'
              }
              testId="filters-after"
              tensor={result.trained}
              channel={showChannel}
              empty="Train the network to see its filters after training."
            />
          </div>
        </>
      )}
    </section>
  );
}

function KernelPanel({
  title,
  testId,
  tensor,
  channel,
  empty,
}: {
  title: string;
  testId: string;
  tensor: FloatTensor | null;
  channel: number;
  empty: string;
}) {
  const tiles = useMemo(() => {
    if (tensor === null) return null;
    const values = tensorValues(tensor);
    const limit = absMax(values);
    const count = Math.min(tensor.shape[0] ?? 0, MAX_FILTERS);
    return {
      limit,
      images: Array.from({ length: count }, (_, o) =>
        kernelRgba(values, tensor.shape, o, channel, limit),
      ),
    };
  }, [tensor, channel]);
  const [kh = 1, kw = 1] = tensor?.shape.slice(2) ?? [];
  // Few filters get big tiles; a tile never shows a tap smaller than 4 px.
  const count = tensor?.shape[0] ?? 0;
  const size = Math.max(
    Math.max(kh, kw) * 4,
    count <= 8 ? 60 : count <= 16 ? 48 : count <= 32 ? 38 : 28,
  );
  return (
    <div className="inspect-kernels" data-testid={testId}>
      <h4>
        {title}
        {tiles && <span className="muted"> · max |w| {formatValue(tiles.limit)}</span>}
      </h4>
      {tiles === null ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="inspect-grid inspect-grid--tight">
          {tiles.images.map((rgba, o) => (
            <PixelCanvas
              key={o}
              width={kw}
              height={kh}
              rgba={rgba}
              size={size}
              title={`filter ${o}`}
              className="inspect-kernel"
            />
          ))}
        </div>
      )}
    </div>
  );
}
