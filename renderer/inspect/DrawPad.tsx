import { useCallback, useEffect, useRef, useState } from 'react';
import type { PixelImage } from '../../src/api/inspect';
import type { Prediction } from '../../src/api/training';
import { getEngine } from '../api/engine';
import { DIGIT_SIZE, digitImage } from './digitImage';
import { inspectStore } from './inspectStore';
import { ProbabilityBars } from './ProbabilityBars';

const PAD = 168;
const STROKE = 13;
/** Classify this long after the pen last moved: live, without a request per pointer event. */
const DEBOUNCE_MS = 120;

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

function paintBlank(canvas: HTMLCanvasElement | null): void {
  const ctx = canvas?.getContext('2d');
  if (!ctx) return;
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, PAD, PAD);
}

/**
 * A pad to draw a digit on with mouse, touch or pen (white on black, like MNIST). What is drawn is
 * centred and scaled as MNIST digits are, classified live by the trained run, and can be the
 * input of the feature maps.
 */
export function DrawPad({ runId }: { runId: string | null }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const asked = useRef(0);
  const [drawn, setDrawn] = useState(false);
  const [prediction, setPrediction] = useState<Prediction | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const clear = useCallback(() => {
    paintBlank(canvas.current);
    asked.current++;
    setDrawn(false);
    setPrediction(null);
    setLoading(false);
    setError(null);
    const { input } = inspectStore.getState();
    inspectStore
      .getState()
      .set({ drawing: null, ...(input?.kind === 'drawing' && { input: null }) });
  }, []);

  useEffect(() => {
    paintBlank(canvas.current);
    return () => window.clearTimeout(timer.current);
  }, []);

  const classify = useCallback(async () => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const rgba = ctx.getImageData(0, 0, PAD, PAD).data;
    const ink = new Uint8Array(PAD * PAD);
    for (let i = 0; i < ink.length; i++) ink[i] = rgba[i * 4] ?? 0;
    const digit = digitImage(ink, PAD, PAD);
    if (digit === null) return;
    const image: PixelImage = {
      width: DIGIT_SIZE,
      height: DIGIT_SIZE,
      channels: 1,
      pixels: toBase64(digit),
    };
    const { input } = inspectStore.getState();
    // Feature maps of the drawing follow the pen while it is their input.
    inspectStore.getState().set({
      drawing: image,
      ...(input?.kind === 'drawing' && { input: { kind: 'drawing', image } }),
    });
    if (runId === null) return;
    const ticket = ++asked.current;
    setLoading(true);
    try {
      const answer = await getEngine().training.predict(runId, {
        width: DIGIT_SIZE,
        height: DIGIT_SIZE,
        channels: 1,
        data: Array.from(digit),
      });
      if (ticket !== asked.current) return;
      setPrediction(answer);
      setError(null);
    } catch (err) {
      if (ticket === asked.current) setError(err instanceof Error ? err.message : String(err));
    } finally {
      if (ticket === asked.current) setLoading(false);
    }
  }, [runId]);

  // A run that finishes (or a new one) classifies what is already drawn.
  const drawnNow = useRef(false);
  drawnNow.current = drawn;
  useEffect(() => {
    if (drawnNow.current) void classify();
  }, [classify]);

  const schedule = () => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void classify(), DEBOUNCE_MS);
  };

  const point = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    return {
      x: ((e.clientX - box.left) * PAD) / box.width,
      y: ((e.clientY - box.top) * PAD) / box.height,
    };
  };
  const strokeTo = (to: { x: number; y: number }) => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const from = last.current ?? to;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = STROKE;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(from.x, from.y);
    ctx.lineTo(to.x + (from === to ? 0.01 : 0), to.y);
    ctx.stroke();
    last.current = to;
  };

  return (
    <div className="draw-pad" data-testid="draw-pad">
      <div className="draw-pad__body">
        <canvas
          ref={canvas}
          className="draw-pad__canvas"
          data-testid="draw-pad-canvas"
          width={PAD}
          height={PAD}
          aria-label="Drawing pad: draw a digit with the mouse, a finger or a pen"
          onPointerDown={(e) => {
            e.currentTarget.setPointerCapture(e.pointerId);
            last.current = null;
            strokeTo(point(e));
            setDrawn(true);
            schedule();
          }}
          onPointerMove={(e) => {
            if (last.current === null || e.buttons === 0) return;
            strokeTo(point(e));
            schedule();
          }}
          onPointerUp={() => {
            last.current = null;
            schedule();
          }}
          onPointerCancel={() => (last.current = null)}
        />
        <div className="draw-pad__result">
          {!drawn && <p className="muted">Draw a digit here.</p>}
          {drawn && runId === null && (
            <p className="muted">Train the network to classify what you draw.</p>
          )}
          {error && <p className="field__error">{error}</p>}
          {prediction && <ProbabilityBars prediction={prediction} stale={loading} />}
        </div>
      </div>
      <div className="draw-pad__actions">
        <button type="button" data-testid="draw-pad-clear" onClick={clear} disabled={!drawn}>
          Clear
        </button>
        <button
          type="button"
          data-testid="draw-pad-use"
          disabled={!drawn}
          onClick={() => {
            const image = inspectStore.getState().drawing;
            if (image)
              inspectStore.getState().set({ input: { kind: 'drawing', image }, view: 'maps' });
          }}
        >
          Show its feature maps
        </button>
      </div>
    </div>
  );
}
