import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ActivationsResult } from '../../src/api/inspect';
import { getEngine } from '../api/engine';
import { ColourLegend } from './ColourLegend';
import { inspectStore, useInspect, type InspectInput } from './inspectStore';
import type { ShownModel } from './modelSource';
import { PixelCanvas } from './PixelCanvas';
import { formatValue, heatmapRgba, pixelImageInput, rangeOf, tensorValues } from './pixels';
import { shownValue, useRequest } from './useRequest';

/** Tiles beyond this are not drawn (the header says how many exist). */
const MAX_TILES = 64;

function inputKey(input: InspectInput): string {
  return input.kind === 'sample' ? `sample:${input.index}` : `drawing:${input.image.pixels}`;
}

/** Tile size by channel count: few channels get big tiles. */
function tileSize(channels: number): number {
  return channels <= 8 ? 96 : channels <= 16 ? 76 : channels <= 32 ? 60 : 46;
}

/** The selected node's output for the chosen input, one small image per channel. */
export function FeatureMaps({ model, node }: { model: ShownModel; node: string | null }) {
  const { input, scale } = useInspect(useShallow((s) => ({ input: s.input, scale: s.scale })));
  const key = model.source && node && input ? `${model.key}|${node}|${inputKey(input)}` : null;
  const state = useRequest(key, () =>
    getEngine().inspect.activations({
      source: model.source!,
      node: node!,
      image: pixelImageInput(input!.image),
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
  else body = <MapGrid result={result} shared={scale === 'shared'} />;
  return (
    <section
      className={`inspect-card inspect-maps${state.status === 'loading' ? ' is-loading' : ''}`}
      data-testid="feature-maps"
      aria-busy={state.status === 'loading'}
    >
      <header className="inspect-card__head">
        <h3>Feature maps{node ? ` · ${node}` : ''}</h3>
        <WeightsBadge model={model} epoch={result?.epoch ?? null} />
        <label className="inspect-toggle">
          <select
            data-testid="feature-maps-scale"
            value={scale}
            onChange={(e) =>
              inspectStore.getState().set({ scale: e.target.value as 'shared' | 'per-channel' })
            }
          >
            <option value="shared">one colour scale for all channels</option>
            <option value="per-channel">a colour scale per channel</option>
          </select>
        </label>
      </header>
      {body}
    </section>
  );
}

/** Says whose weights the maps come from: the trained run or the untrained graph. */
export function WeightsBadge({ model, epoch }: { model: ShownModel; epoch: number | null }) {
  return (
    <span
      className={`inspect-badge${model.trained ? ' is-trained' : ''}`}
      data-testid="inspect-weights"
    >
      {model.trained
        ? `trained${epoch !== null ? ` · best epoch ${epoch}` : ''}`
        : 'untrained · initial weights, seed 42'}
    </span>
  );
}

function MapGrid({ result, shared }: { result: ActivationsResult; shared: boolean }) {
  const { shape } = result.activation;
  const values = useMemo(() => tensorValues(result.activation), [result.activation]);
  // C×H×W as channels of H×W; a flat [F] output as one near-square image of its F values.
  const flat = shape.length !== 3;
  const [c, h, w] = flat
    ? [1, Math.ceil(shape[0]! / Math.ceil(Math.sqrt(shape[0]!))), Math.ceil(Math.sqrt(shape[0]!))]
    : (shape as [number, number, number]);
  const tiles = useMemo(() => {
    const all = { min: result.activation.min, max: result.activation.max };
    return Array.from({ length: Math.min(c, MAX_TILES) }, (_, ch) => {
      const start = ch * h * w;
      const length = flat ? values.length : h * w;
      const range = rangeOf(values, start, length);
      const padded = new Float32Array(h * w).fill(all.min);
      padded.set(values.subarray(start, start + length));
      return { ch, range, rgba: heatmapRgba(padded, 0, h * w, shared ? all : range) };
    });
  }, [values, c, h, w, flat, shared, result.activation.min, result.activation.max]);
  const size = flat ? 160 : tileSize(c);
  return (
    <>
      <p className="inspect-facts" data-testid="feature-maps-facts">
        <span data-testid="feature-maps-channels">
          {flat ? `${shape[0]} values (flat)` : `${c} channel${c === 1 ? '' : 's'} of ${h}×${w}`}
        </span>
        {' · '}
        {result.type}
        {result.computedNode !== result.node ? ` (block output: ${result.computedNode})` : ''}
        {' · values '}
        {formatValue(result.activation.min)} … {formatValue(result.activation.max)}
        {c > MAX_TILES ? ` · showing the first ${MAX_TILES}` : ''}
      </p>
      <ColourLegend
        range={shared || flat ? result.activation : null}
        note={
          shared || flat
            ? 'shared by all channels'
            : 'each channel its own min … max (hover a tile)'
        }
      />
      <div className="inspect-grid" data-testid="feature-maps-grid">
        {tiles.map((t) => (
          <figure key={t.ch} className="inspect-tile" data-testid="feature-map">
            <PixelCanvas
              width={w}
              height={h}
              rgba={t.rgba}
              size={size}
              title={`channel ${t.ch}: ${formatValue(t.range.min)} … ${formatValue(t.range.max)}`}
            />
            {!flat && <figcaption>{t.ch}</figcaption>}
          </figure>
        ))}
      </div>
    </>
  );
}
