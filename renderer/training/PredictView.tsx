import { useState } from 'react';
import type { Prediction } from '../../src/api/training';
import { getEngine } from '../api/engine';

/**
 * The longest side sent to the engine. It resizes to the network's Input anyway (224 px at most
 * in the templates); a phone photo at full size would be a 190 MB request, far over the web
 * server's 16 MiB message limit (docs/security.md). 512 px: at most 4.2 MB of JSON.
 */
const MAX_SIDE = 512;

/** Decodes an image file to RGBA pixels with the browser's own decoder, scaled to MAX_SIDE. */
async function decode(
  file: File,
): Promise<{ width: number; height: number; data: Uint8ClampedArray; url: string }> {
  const url = URL.createObjectURL(file);
  const img = new Image();
  img.src = url;
  await img.decode();
  const canvas = document.createElement('canvas');
  const scale = Math.min(1, MAX_SIDE / Math.max(img.naturalWidth, img.naturalHeight));
  canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
  canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot read image pixels');
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  // ImageData's fields are prototype getters: a spread would copy none of them.
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { width: pixels.width, height: pixels.height, data: pixels.data, url };
}

/** Classifies a chosen image with the trained network; shows the class probabilities. */
export function PredictView({ runId }: { runId: string | null }) {
  const [preview, setPreview] = useState<string | null>(null);
  const [result, setResult] = useState<Prediction | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (runId === null)
    return <p className="muted">Train the network first; then choose an image to classify.</p>;
  return (
    <div className="predict" data-testid="prediction">
      <input
        type="file"
        accept="image/*"
        data-testid="predict-file"
        onChange={async (e) => {
          const file = e.target.files?.[0];
          if (!file) return;
          setError(null);
          try {
            const image = await decode(file);
            setPreview(image.url);
            setResult(
              await getEngine().training.predict(runId, {
                width: image.width,
                height: image.height,
                channels: 4,
                data: Array.from(image.data),
              }),
            );
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
      />
      {error && <p className="field__error">{error}</p>}
      <div className="predict__body">
        {preview && <img src={preview} alt="Chosen for prediction" />}
        {result && (
          <p className="predict__top" data-testid="prediction-top">
            {result.classes[result.top]}
            <span className="muted">
              {' '}
              {((result.probabilities[result.top] ?? 0) * 100).toFixed(1)}%
            </span>
          </p>
        )}
      </div>
      <div>
        {result && (
          <ul className="bars">
            {result.classes.map((c, i) => (
              <li key={c} className={i === result.top ? 'is-top' : ''}>
                <span>{c}</span>
                <i style={{ width: `${(result.probabilities[i] ?? 0) * 100}%` }} />
                <b>{((result.probabilities[i] ?? 0) * 100).toFixed(1)}%</b>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
