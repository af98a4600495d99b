import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** Decoded pixels, RGBA interleaved, 0–255. */
export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Decodes PNG or JPEG bytes (by signature, not by file name); throws on anything else. */
export function decodeImage(bytes: Uint8Array): Rgba {
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxMemoryUsageInMB: 256,
    });
    return { width: img.width, height: img.height, data: img.data };
  }
  throw new Error('not a PNG or JPEG image');
}

/**
 * Resizes (bilinear, pixel centres aligned as PyTorch's align_corners=False) and converts to
 * `channels` (1: luminance 0.299R + 0.587G + 0.114B as PIL's "L"; 3: RGB). Output is H×W×C bytes.
 */
export function toSample(image: Rgba, height: number, width: number, channels: 1 | 3): Uint8Array {
  const out = new Uint8Array(height * width * channels);
  const sy = image.height / height;
  const sx = image.width / width;
  const px = (x: number, y: number, c: number): number =>
    image.data[(y * image.width + x) * 4 + c] ?? 0;
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(Math.floor(fy), image.height - 1);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const ly = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const x0 = Math.min(Math.floor(fx), image.width - 1);
      const x1 = Math.min(x0 + 1, image.width - 1);
      const lx = fx - x0;
      const rgb = [0, 1, 2].map(
        (c) =>
          (1 - ly) * ((1 - lx) * px(x0, y0, c) + lx * px(x1, y0, c)) +
          ly * ((1 - lx) * px(x0, y1, c) + lx * px(x1, y1, c)),
      ) as [number, number, number];
      const o = (y * width + x) * channels;
      if (channels === 1) out[o] = Math.round(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]);
      else for (let c = 0; c < 3; c++) out[o + c] = Math.round(rgb[c]!);
    }
  }
  return out;
}
