import { createRequire } from 'node:module';
import type JpegJs from 'jpeg-js';
import type { PNG as PngJs } from 'pngjs';
import { DatasetError } from './Dataset.js';

/**
 * The decoders, loaded at the first image decoded: a run on MNIST or CIFAR files never needs them
 * (loading both took ~18 ms of `nnb train`'s start).
 */
let decoders: { PNG: typeof PngJs; jpeg: typeof JpegJs } | undefined;

function imageDecoders(): { PNG: typeof PngJs; jpeg: typeof JpegJs } {
  if (decoders === undefined) {
    const require = createRequire(import.meta.url);
    decoders = {
      PNG: (require('pngjs') as { PNG: typeof PngJs }).PNG,
      jpeg: require('jpeg-js') as typeof JpegJs,
    };
  }
  return decoders;
}

/**
 * The largest image read, in pixels: 4096×4096 (16.8 Mpx, 64 MiB decoded as RGBA). Decoding cost
 * grows with the pixel count, not the file size: a 431 KB PNG of 20000×20000 took 16.7 s and
 * 4.7 GB before this limit, which is checked on the header, before any pixel is decoded.
 */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

/** An image with more pixels than MAX_IMAGE_PIXELS; the message names it and its size. */
export class ImageTooLargeError extends DatasetError {
  constructor(name: string, width: number, height: number) {
    const mpx = (n: number) => `${(n / 1e6).toFixed(1)} Mpx`;
    super(
      `${name} is ${width}×${height} pixels (${mpx(width * height)}); images up to ` +
        `${mpx(MAX_IMAGE_PIXELS)} (4096×4096) are read. Shrink it or remove it.`,
    );
    this.name = 'ImageTooLargeError';
  }
}

/** Throws ImageTooLargeError when width·height exceeds MAX_IMAGE_PIXELS. */
export function checkImageSize(width: number, height: number, name: string): void {
  if (width * height > MAX_IMAGE_PIXELS) throw new ImageTooLargeError(name, width, height);
}

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b[0] === 0xff && b[1] === 0xd8;

/**
 * Width and height from a PNG's IHDR chunk or a JPEG's frame header (SOFn), without decoding;
 * null when the header is missing or cut short (the decoder then reports what is wrong).
 */
export function imageDimensions(bytes: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(bytes)) {
    // 8-byte signature, then the first chunk: length (4), type "IHDR" (4), width (4), height (4).
    const ihdr =
      bytes[12] === 0x49 && bytes[13] === 0x48 && bytes[14] === 0x44 && bytes[15] === 0x52;
    if (!ihdr || bytes.byteLength < 24) return null;
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  if (isJpeg(bytes)) {
    // Marker segments after SOI: 0xFF, a marker byte, a 2-byte length that counts itself.
    let at = 2;
    while (at + 4 <= bytes.byteLength) {
      if (bytes[at] !== 0xff) return null;
      const marker = bytes[at + 1] ?? 0;
      if (marker === 0xff) {
        at += 1; // fill byte
        continue;
      }
      if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        at += 2; // markers without a segment
        continue;
      }
      if (marker === 0xda || marker === 0xd9) return null; // scan or end before any frame header
      const length = view.getUint16(at + 2);
      // SOF0–SOF15 except DHT (C4), JPG (C8), DAC (CC): precision (1), height (2), width (2).
      const sof = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
      if (sof) {
        if (at + 9 > bytes.byteLength) return null;
        return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
      }
      at += 2 + length;
    }
  }
  return null;
}

/** Decoded pixels, RGBA interleaved, 0–255. */
export interface Rgba {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * Decodes PNG or JPEG bytes (by signature, not by file name); throws on anything else, and
 * ImageTooLargeError (naming `name`) for an image over MAX_IMAGE_PIXELS, read from its header.
 */
export function decodeImage(bytes: Uint8Array, name = 'The image'): Rgba {
  const size = imageDimensions(bytes);
  if (size !== null) checkImageSize(size.width, size.height, name);
  if (isPng(bytes)) {
    const png = imageDecoders().PNG.sync.read(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    );
    return { width: png.width, height: png.height, data: png.data };
  }
  if (isJpeg(bytes)) {
    const img = imageDecoders().jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      // The decoder's own limits, for a frame size the header scan above could not find.
      maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
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
