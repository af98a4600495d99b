import { useMemo } from 'react';
import type { ActivationsResult } from '../../src/api/inspect';
import { ColourLegend } from './ColourLegend';
import { inspectStore, type ColourScale } from './inspectStore';
import { PixelCanvas } from './PixelCanvas';
import { formatValue, heatmapRgba, rangeOf, tensorValues, viridis } from './pixels';

/** Tiles beyond this are not drawn (the facts line says how many exist). */
const MAX_TILES = 64;
/** Flat outputs up to this many values are listed one cell each; longer ones become an image. */
const MAX_CELLS = 128;

/** Tile size by channel count: few channels get big tiles. */
function tileSize(channels: number): number {
  return channels <= 8 ? 96 : channels <= 16 ? 76 : channels <= 32 ? 60 : 46;
}

/** A node's output: one viridis image per channel (C×H×W), or its values (flat). */
export function MapGrid({ result, scale }: { result: ActivationsResult; scale: ColourScale }) {
  const { shape, min, max } = result.activation;
  const values = useMemo(() => tensorValues(result.activation), [result.activation]);
  const maps = shape.length === 3;
  const [c, h, w] = maps ? (shape as [number, number, number]) : [1, 1, values.length];
  const shared = scale === 'shared' || !maps;
  return (
    <>
      <p className="inspect-facts" data-testid="feature-maps-facts">
        <span data-testid="feature-maps-channels">
          {maps ? `${c} channel${c === 1 ? '' : 's'} of ${h}×${w}` : `${w} values (flat)`}
        </span>
        {' · '}
        {result.type}
        {result.computedNode !== result.node ? ` (block output: ${result.computedNode})` : ''}
        {' · values '}
        {formatValue(min)} … {formatValue(max)}
        {c > MAX_TILES ? ` · showing the first ${MAX_TILES}` : ''}
      </p>
      <div className="inspect-legend-row">
        <ColourLegend range={shared ? { min, max } : null} />
        {maps ? (
          <select
            data-testid="feature-maps-scale"
            aria-label="Colour scale"
            value={scale}
            onChange={(e) => inspectStore.getState().set({ scale: e.target.value as ColourScale })}
          >
            <option value="shared">shared by all channels</option>
            <option value="per-channel">each channel its own min … max</option>
          </select>
        ) : (
          <span className="muted">shared by all values</span>
        )}
      </div>
      {maps ? (
        <ChannelTiles values={values} c={c} h={h} w={w} shared={shared} min={min} max={max} />
      ) : w <= MAX_CELLS ? (
        <FlatCells values={values} range={{ min, max }} />
      ) : (
        <FlatImage values={values} range={{ min, max }} />
      )}
    </>
  );
}

function ChannelTiles(props: {
  values: Float32Array;
  c: number;
  h: number;
  w: number;
  shared: boolean;
  min: number;
  max: number;
}) {
  const { values, c, h, w, shared, min, max } = props;
  const tiles = useMemo(
    () =>
      Array.from({ length: Math.min(c, MAX_TILES) }, (_, ch) => {
        const own = rangeOf(values, ch * h * w, h * w);
        const range = shared ? { min, max } : own;
        return { ch, own, rgba: heatmapRgba(values, ch * h * w, h * w, range) };
      }),
    [values, c, h, w, shared, min, max],
  );
  const size = tileSize(c);
  return (
    <div className="inspect-grid" data-testid="feature-maps-grid">
      {tiles.map((t) => (
        <figure key={t.ch} className="inspect-tile" data-testid="feature-map">
          <PixelCanvas
            width={w}
            height={h}
            rgba={t.rgba}
            size={size}
            title={`channel ${t.ch}: ${formatValue(t.own.min)} … ${formatValue(t.own.max)}`}
          />
          <figcaption>{t.ch}</figcaption>
        </figure>
      ))}
    </div>
  );
}

/** Each value a coloured cell with its index (Linear outputs: the 10 logits, 84 features, …). */
function FlatCells({
  values,
  range,
}: {
  values: Float32Array;
  range: { min: number; max: number };
}) {
  const span = range.max - range.min;
  return (
    <div className="inspect-values" data-testid="feature-maps-grid">
      {Array.from(values, (v, i) => {
        const [r, g, b] = viridis(span > 0 ? (v - range.min) / span : 0);
        return (
          <span
            key={i}
            data-testid="feature-map"
            className="inspect-value"
            style={{ background: `rgb(${r} ${g} ${b})` }}
            title={`${i}: ${v}`}
          >
            <small>{i}</small>
            {formatValue(v)}
          </span>
        );
      })}
    </div>
  );
}

/** A long flat output as one near-square image of its values, row by row. */
function FlatImage({
  values,
  range,
}: {
  values: Float32Array;
  range: { min: number; max: number };
}) {
  const cols = Math.ceil(Math.sqrt(values.length));
  const rows = Math.ceil(values.length / cols);
  const rgba = useMemo(() => {
    const padded = new Float32Array(rows * cols).fill(range.min);
    padded.set(values);
    return heatmapRgba(padded, 0, padded.length, range);
  }, [values, rows, cols, range]);
  return (
    <div className="inspect-grid" data-testid="feature-maps-grid">
      <PixelCanvas
        width={cols}
        height={rows}
        rgba={rgba}
        size={200}
        title={`${values.length} values, row by row`}
      />
    </div>
  );
}
