import { useMemo, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { ImageInput } from '../../src/api/training';
import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import { formatCount } from '../../src/core/format/numbers';
import {
  boxText,
  cellAt,
  centreUnit,
  pairText,
  rfAt,
  rfOverlayModel,
  type RfOverlayModel,
  type RfPosition,
} from './rfOverlayModel';

/** Largest side, in CSS pixels, of the output grid and of the input view. */
const OUTPUT_SIZE = 96;
const INPUT_SIZE = 150;

export interface RfOverlayProps {
  readonly analysis: GraphAnalysis;
  readonly nodeId: string;
  /** A sample drawn under the input grid (the Input's size); the grid alone without it. */
  readonly image?: ImageInput;
  /** The unit picked at first (the centre unit by default). */
  readonly initial?: { readonly row: number; readonly col: number };
}

/**
 * The receptive-field overlay: pick a unit of the node's output (hover previews, click pins,
 * arrow keys move) and see the input pixels it depends on, with the part in the padding
 * hatched and the numbers (size, jump, start, box) from the analysis.
 */
export function RfOverlay({ analysis, nodeId, image, initial }: RfOverlayProps) {
  const outcome = useMemo(() => rfOverlayModel(analysis, nodeId), [analysis, nodeId]);
  const [pinned, setPinned] = useState<{ row: number; col: number } | null>(initial ?? null);
  const [hover, setHover] = useState<{ row: number; col: number } | null>(null);
  if (!outcome.ok)
    return (
      <section className="inspector__section rf-overlay" data-testid="rf-overlay">
        <div className="panel-title">Receptive field</div>
        <p className="muted rf-overlay__reason">{outcome.reason}</p>
      </section>
    );
  const { model } = outcome;
  const chosen = hover ?? pinned ?? centreUnit(model);
  const at = rfAt(analysis, model, chosen.row, chosen.col);
  const move = (dr: number, dc: number) => {
    const from = pinned ?? centreUnit(model);
    const next = rfAt(analysis, model, from.row + dr, from.col + dc);
    if (next) setPinned({ row: next.row, col: next.col });
  };
  return (
    <section className="inspector__section rf-overlay" data-testid="rf-overlay">
      <div className="panel-title">Receptive field</div>
      <dl className="rf-overlay__numbers">
        <div>
          <dt>size</dt>
          <dd data-testid="rf-size">{pairText(model.field.size)}</dd>
        </div>
        <div>
          <dt>jump</dt>
          <dd data-testid="rf-jump">{pairText(model.field.jump)}</dd>
        </div>
        <div>
          <dt>start</dt>
          <dd data-testid="rf-start">{pairText(model.field.start)}</dd>
        </div>
      </dl>
      <div className="rf-overlay__grids">
        <figure>
          <OutputGrid
            model={model}
            chosen={at}
            pinned={pinned}
            onHover={setHover}
            onPick={setPinned}
            onKey={(e) => {
              const step = {
                ArrowUp: [-1, 0],
                ArrowDown: [1, 0],
                ArrowLeft: [0, -1],
                ArrowRight: [0, 1],
              }[e.key];
              if (step === undefined) return;
              e.preventDefault();
              move(step[0] ?? 0, step[1] ?? 0);
            }}
          />
          <figcaption>
            {model.node} {model.output.rows}×{model.output.cols}
          </figcaption>
        </figure>
        <span className="rf-overlay__arrow" aria-hidden="true">
          →
        </span>
        <figure>
          <InputView model={model} at={at} image={image} />
          <figcaption>
            {model.input.id} {model.input.rows}×{model.input.cols}
          </figcaption>
        </figure>
      </div>
      <div className="rf-overlay__legend" aria-hidden="true">
        <span className="is-field">on the image</span>
        <span className="is-padding">in the padding</span>
        <span className="is-centre">centre</span>
      </div>
      {at && <PositionText at={at} />}
      {model.branches.length > 0 && <h4 className="rf-overlay__subtitle">Branches joined here</h4>}
      {model.branches.length > 0 && (
        <ul className="rf-overlay__branches" data-testid="rf-branches">
          {model.branches.map((b) => (
            <li key={b.source} className={b.drawn ? 'is-drawn' : undefined}>
              <code>{b.source}</code> <span>{b.size ? pairText(b.size) : '?'}</span>
            </li>
          ))}
        </ul>
      )}
      {model.notes.map((n) => (
        <p key={n} className="muted rf-overlay__note">
          {n}
        </p>
      ))}
    </section>
  );
}

function PositionText({ at }: { at: RfPosition }) {
  const { field, visible, center } = at.box;
  const o = at.outside;
  const outside = [
    o.top && `${o.top} top`,
    o.bottom && `${o.bottom} bottom`,
    o.left && `${o.left} left`,
    o.right && `${o.right} right`,
  ].filter(Boolean);
  return (
    <div className="rf-overlay__position">
      <div>
        Unit{' '}
        <b data-testid="rf-position">
          ({at.row}, {at.col})
        </b>{' '}
        sees centre ({formatCount(center[0])}, {formatCount(center[1])})
      </div>
      <code data-testid="rf-box">{boxText(field)}</code>
      <div className="muted">
        on the image: <span data-testid="rf-visible">{boxText(visible)}</span>
        {outside.length > 0 && <> · in the padding: {outside.join(', ')}</>}
      </div>
    </div>
  );
}

function OutputGrid({
  model,
  chosen,
  pinned,
  onHover,
  onPick,
  onKey,
}: {
  model: RfOverlayModel;
  chosen: RfPosition | null;
  pinned: { row: number; col: number } | null;
  onHover: (c: { row: number; col: number } | null) => void;
  onPick: (c: { row: number; col: number }) => void;
  onKey: (e: KeyboardEvent) => void;
}) {
  const { rows, cols } = model.output;
  const scale = OUTPUT_SIZE / Math.max(rows, cols);
  const cell = (e: MouseEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return cellAt(model, (e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
  };
  return (
    <svg
      className="rf-grid rf-grid--output"
      data-testid="rf-output"
      width={cols * scale}
      height={rows * scale}
      viewBox={`0 0 ${cols} ${rows}`}
      tabIndex={0}
      role="grid"
      aria-label={`Output ${rows}×${cols}: pick a unit (arrow keys move)`}
      onPointerMove={(e) => onHover(cell(e))}
      onPointerLeave={() => onHover(null)}
      onClick={(e) => onPick(cell(e))}
      onKeyDown={onKey}
    >
      <rect className="rf-grid__bg" width={cols} height={rows} />
      {scale >= 4 && <GridLines rows={rows} cols={cols} />}
      {pinned && (
        <rect className="rf-grid__pinned" x={pinned.col} y={pinned.row} width={1} height={1} />
      )}
      {chosen && (
        <rect className="rf-grid__cell" x={chosen.col} y={chosen.row} width={1} height={1} />
      )}
      {/* Cells of a large output are a pixel or two wide: a ring shows where the pick is. */}
      {chosen && scale < 4 && (
        <circle
          className="rf-grid__ring"
          cx={chosen.col + 0.5}
          cy={chosen.row + 0.5}
          r={5 / scale}
        />
      )}
    </svg>
  );
}

function InputView({
  model,
  at,
  image,
}: {
  model: RfOverlayModel;
  at: RfPosition | null;
  image: ImageInput | undefined;
}) {
  const { view, input } = model;
  const width = view.right - view.left + 1;
  const height = view.bottom - view.top + 1;
  const scale = INPUT_SIZE / Math.max(width, height);
  const href = useMemo(() => (image ? imageUrl(image) : null), [image]);
  const f = at?.box.field;
  const v = at?.box.visible;
  return (
    <svg
      className="rf-grid rf-grid--input"
      data-testid="rf-input"
      width={width * scale}
      height={height * scale}
      viewBox={`${view.left} ${view.top} ${width} ${height}`}
      aria-label={`Input ${input.rows}×${input.cols} with the field of the picked unit`}
    >
      <defs>
        <pattern
          id="rf-hatch"
          width={2}
          height={2}
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <line className="rf-grid__hatch" x1={0} y1={0} x2={0} y2={2} />
        </pattern>
      </defs>
      {f && (
        <rect
          className="rf-grid__padding"
          x={f.left}
          y={f.top}
          width={f.right - f.left + 1}
          height={f.bottom - f.top + 1}
          fill="url(#rf-hatch)"
        />
      )}
      <rect className="rf-grid__image" width={input.cols} height={input.rows} />
      {href && (
        <image href={href} width={input.cols} height={input.rows} preserveAspectRatio="none" />
      )}
      {scale >= 3 && <GridLines rows={input.rows} cols={input.cols} />}
      {v && v.bottom >= v.top && v.right >= v.left && (
        <rect
          className="rf-grid__field"
          data-testid="rf-field"
          x={v.left}
          y={v.top}
          width={v.right - v.left + 1}
          height={v.bottom - v.top + 1}
        />
      )}
      {f && (
        <rect
          className="rf-grid__outline"
          x={f.left}
          y={f.top}
          width={f.right - f.left + 1}
          height={f.bottom - f.top + 1}
        />
      )}
      {at && (
        <circle
          className="rf-grid__centre"
          cx={at.box.center[1] + 0.5}
          cy={at.box.center[0] + 0.5}
          r={Math.max(0.35, 2.5 / scale)}
        />
      )}
    </svg>
  );
}

/** Thin lines between cells (one path, not a node per cell: inputs can be 224×224). */
function GridLines({ rows, cols }: { rows: number; cols: number }) {
  let d = '';
  for (let r = 1; r < rows; r++) d += `M0 ${r}H${cols}`;
  for (let c = 1; c < cols; c++) d += `M${c} 0V${rows}`;
  return <path className="rf-grid__lines" d={d} />;
}

/** The sample as a data URL (grey, RGB or RGBA pixels → a canvas). */
function imageUrl(img: ImageInput): string | null {
  if (typeof document === 'undefined') return null;
  const canvas = document.createElement('canvas');
  canvas.width = img.width;
  canvas.height = img.height;
  const ctx = canvas.getContext('2d');
  if (ctx === null) return null;
  const out = ctx.createImageData(img.width, img.height);
  for (let i = 0; i < img.width * img.height; i++) {
    const px = (k: number) => Number(img.data[i * img.channels + k] ?? 0);
    const [r, g, b] = img.channels === 1 ? [px(0), px(0), px(0)] : [px(0), px(1), px(2)];
    out.data.set([r, g, b, img.channels === 4 ? px(3) : 255], i * 4);
  }
  ctx.putImageData(out, 0, 0);
  return canvas.toDataURL();
}
