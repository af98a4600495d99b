/**
 * A drawing turned into what MNIST digits look like: the ink's bounding box scaled so its longer
 * side is 20 px, placed in a 28×28 field with its centre of mass in the middle (how the MNIST
 * images were made, LeCun et al.). Without this a digit drawn small or off-centre is misread.
 */
export const DIGIT_SIZE = 28;
const BOX = 20;

/** `ink` is W×H intensities 0–255 (0 = background); null when nothing is drawn. */
export function digitImage(ink: Uint8Array, width: number, height: number): Uint8Array | null {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((ink[y * width + x] ?? 0) > 0) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  if (x1 < 0) return null;
  const boxW = x1 - x0 + 1;
  const boxH = y1 - y0 + 1;
  const scale = BOX / Math.max(boxW, boxH);
  const w = Math.max(1, Math.round(boxW * scale));
  const h = Math.max(1, Math.round(boxH * scale));
  // Area average: every output pixel is the mean of the drawing pixels it covers.
  const small = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx0 = x0 + Math.floor(x / scale);
      const sx1 = Math.max(sx0 + 1, x0 + Math.floor((x + 1) / scale));
      const sy0 = y0 + Math.floor(y / scale);
      const sy1 = Math.max(sy0 + 1, y0 + Math.floor((y + 1) / scale));
      let sum = 0;
      for (let sy = sy0; sy < Math.min(sy1, height); sy++)
        for (let sx = sx0; sx < Math.min(sx1, width); sx++) sum += ink[sy * width + sx] ?? 0;
      small[y * w + x] = sum / ((sy1 - sy0) * (sx1 - sx0));
    }
  }
  let mass = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = small[y * w + x]!;
      mass += v;
      cx += v * x;
      cy += v * y;
    }
  }
  const half = DIGIT_SIZE / 2;
  const clampOffset = (o: number, size: number) =>
    Math.min(DIGIT_SIZE - size, Math.max(0, Math.round(o)));
  const ox = clampOffset(half - (mass > 0 ? cx / mass : w / 2) - 0.5, w);
  const oy = clampOffset(half - (mass > 0 ? cy / mass : h / 2) - 0.5, h);
  const out = new Uint8Array(DIGIT_SIZE * DIGIT_SIZE);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      out[(oy + y) * DIGIT_SIZE + ox + x] = Math.min(255, Math.round(small[y * w + x]!));
    }
  }
  return out;
}
