import { memo, useEffect, useRef } from 'react';

/** RGBA pixels drawn 1:1 into a canvas and scaled by CSS without smoothing (each value a crisp block). */
export const PixelCanvas = memo(function PixelCanvas({
  width,
  height,
  rgba,
  size,
  title,
  className,
}: {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  /** CSS size of the longer side, in px. */
  size: number;
  title?: string;
  className?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const copy = new Uint8ClampedArray(rgba);
    ctx.putImageData(new ImageData(copy, width, height), 0, 0);
  }, [rgba, width, height]);
  const scale = size / Math.max(width, height);
  return (
    <canvas
      ref={ref}
      className={`pixels${className ? ` ${className}` : ''}`}
      width={width}
      height={height}
      style={{ width: Math.round(width * scale), height: Math.round(height * scale) }}
      title={title}
    />
  );
});
