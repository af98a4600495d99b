import { useMemo } from 'react';
import type { ImageInput } from '../../src/api/training';
import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import { getEngine } from '../api/engine';
import { useInspect } from './inspectStore';
import { pixelImageInput } from './pixels';
import { shownValue, useRequest } from './useRequest';

/** H×W of the graph's first image Input, or null. */
function inputSize(analysis: GraphAnalysis): readonly [number, number] | null {
  const input = analysis.layers.find((l) => l.type === 'Input' && l.parent === null);
  const [, h, w] = input?.outputShape ?? [];
  return h !== undefined && w !== undefined ? [h, w] : null;
}

/**
 * The picture under the receptive-field overlay: the input chosen in the Inspect tab (a
 * validation digit or a drawing) when it has the Input's size, else the first validation digit
 * for 28×28 inputs; none otherwise (the overlay then draws the bare pixel grid).
 */
export function useOverlayImage(analysis: GraphAnalysis): ImageInput | undefined {
  const chosen = useInspect((s) => s.input);
  const size = inputSize(analysis);
  const fits = (w: number, h: number) => size !== null && size[0] === h && size[1] === w;
  const wantDigit = size !== null && size[0] === 28 && size[1] === 28;
  const digit = useRequest(wantDigit ? 'rf-overlay:digit' : null, () =>
    getEngine().inspect.samples({ dataset: { kind: 'digits' }, count: 1 }),
  );
  const sample = shownValue(digit)?.samples[0]?.image;
  const source =
    chosen && fits(chosen.image.width, chosen.image.height)
      ? chosen.image
      : sample && fits(sample.width, sample.height)
        ? sample
        : undefined;
  // The same picture keeps the same object, so the overlay does not re-encode it every render.
  return useMemo(() => (source ? pixelImageInput(source) : undefined), [source]);
}
