import { useMemo } from 'react';
import type { SamplesResult } from '../../src/api/inspect';
import { getEngine } from '../api/engine';
import { PixelCanvas } from './PixelCanvas';
import { inspectStore, useInspect } from './inspectStore';
import { pixelImageRgba } from './pixels';
import { useRequest, type RequestState } from './useRequest';

/** Validation images of the run's dataset (or the built-in digits): one per class. */
export function useSamples(runId: string | null): RequestState<SamplesResult> {
  return useRequest(`samples:${runId ?? 'digits'}`, () =>
    getEngine().inspect.samples({
      dataset: runId === null ? { kind: 'digits' } : { kind: 'run', runId },
      count: 10,
    }),
  );
}

/** Thumbnails to choose the input image from; the chosen one is outlined. */
export function SamplePicker({ samples }: { samples: RequestState<SamplesResult> }) {
  const input = useInspect((s) => s.input);
  const value = samples.status === 'done' ? samples.value : null;
  const images = useMemo(
    () => value?.samples.map((s) => ({ ...s, rgba: pixelImageRgba(s.image) })) ?? [],
    [value],
  );
  if (samples.status === 'error') return <p className="field__error">{samples.message}</p>;
  if (value === null) return <p className="muted">Loading validation images…</p>;
  return (
    <div className="inspect-samples" data-testid="inspect-samples">
      {images.map((s) => {
        const chosen = input?.kind === 'sample' && input.index === s.index;
        return (
          <button
            key={s.index}
            type="button"
            className={`inspect-sample${chosen ? ' is-chosen' : ''}`}
            data-testid={`inspect-sample-${s.index}`}
            aria-pressed={chosen}
            title={`Validation image #${s.index}, class ${s.className}`}
            onClick={() =>
              inspectStore.getState().set({
                input: { kind: 'sample', index: s.index, label: s.className, image: s.image },
              })
            }
          >
            <PixelCanvas width={s.image.width} height={s.image.height} rgba={s.rgba} size={36} />
          </button>
        );
      })}
    </div>
  );
}
