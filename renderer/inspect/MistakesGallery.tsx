import { useEffect, useMemo, useRef, useState } from 'react';
import { getEngine } from '../api/engine';
import type { MistakeCell } from './inspectStore';
import { inspectStore } from './inspectStore';
import { PixelCanvas } from './PixelCanvas';
import { pixelImageRgba } from './pixels';
import { shownValue, useRequest } from './useRequest';

const PAGE = 60;

/**
 * The validation images of one confusion-matrix cell of a run's last epoch:
 * "true 4 → predicted 9 (12 images)". `version` changes when a new epoch's predictions arrive.
 */
export function MistakesGallery({ cell, version }: { cell: MistakeCell; version: number }) {
  const [limit, setLimit] = useState(PAGE);
  const ref = useRef<HTMLElement>(null);
  // In the Training tab's narrow, scrolling column the gallery opens below the fold otherwise.
  useEffect(() => {
    // Newer browsers return a promise from scrollIntoView: not a cleanup for React.
    void ref.current?.scrollIntoView({ block: 'nearest' });
  }, [cell]);
  const key = `${cell.runId}|${cell.trueClass}|${cell.predictedClass}|${limit}|${version}`;
  const state = useRequest(key, (lane) =>
    getEngine().inspect.mistakes({
      runId: cell.runId,
      trueClass: cell.trueClass,
      predictedClass: cell.predictedClass,
      limit,
      lane,
    }),
  );
  const result = shownValue(state);
  const images = useMemo(
    () =>
      result?.images.map((m) => ({
        index: m.index,
        image: m.image,
        rgba: pixelImageRgba(m.image),
      })) ?? [],
    [result],
  );
  const names = result?.classNames;
  const t = names?.[cell.trueClass] ?? String(cell.trueClass);
  const p = names?.[cell.predictedClass] ?? String(cell.predictedClass);
  const correct = cell.trueClass === cell.predictedClass;
  return (
    <section
      ref={ref}
      className="mistakes"
      data-testid="mistakes"
      aria-busy={state.status === 'loading'}
    >
      <header className="mistakes__head">
        <h4 data-testid="mistakes-title">
          true {t} → predicted {p}
          {result
            ? ` (${result.total} image${result.total === 1 ? '' : 's'}${correct ? ', correct' : ''})`
            : ''}
        </h4>
        <button
          type="button"
          className="mistakes__close"
          aria-label="Close the gallery"
          onClick={() => inspectStore.getState().set({ cell: null })}
        >
          ×
        </button>
      </header>
      {state.status === 'error' ? (
        <p className="field__error" role="alert">
          {state.message}
        </p>
      ) : result === null ? (
        <p className="muted">Loading the images…</p>
      ) : result.total === 0 ? (
        <p className="muted">
          No validation image of {t} was predicted as {p}.
        </p>
      ) : (
        <>
          <div className="mistakes__grid">
            {images.map((m) => (
              <PixelCanvas
                key={m.index}
                width={m.image.width}
                height={m.image.height}
                rgba={m.rgba}
                size={40}
                title={`validation image #${m.index}`}
                className="mistakes__image"
              />
            ))}
          </div>
          {result.total > images.length && (
            <button
              type="button"
              className="mistakes__more"
              onClick={() => setLimit(Math.min(500, limit + PAGE))}
              disabled={limit >= 500}
            >
              Showing {images.length} of {result.total}
              {limit < 500 ? ' · show more' : ''}
            </button>
          )}
        </>
      )}
    </section>
  );
}
