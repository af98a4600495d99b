import type { FloatTensor, PixelImage } from '../../api/inspect.js';

/** Float32 values as the contract's FloatTensor: base64 of little-endian bytes, with the range. */
export function encodeFloats(data: Float32Array, shape: readonly number[]): FloatTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new Error(
      `a tensor of shape ${shape.join('×')} needs ${size} values, got ${data.length}`,
    );
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of data) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return {
    shape: [...shape],
    data: bytes.toString('base64'),
    min: Number.isFinite(min) ? min : 0,
    max: Number.isFinite(max) ? max : 0,
  };
}

/** Decodes encodeFloats' data (tests, and any Node reader of the contract). */
export function decodeFloats(tensor: FloatTensor): Float32Array {
  const bytes = Buffer.from(tensor.data, 'base64');
  const copy = new Uint8Array(bytes); // aligned for Float32Array
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

/** One H×W×C sample's bytes as the contract's PixelImage. */
export function encodePixels(
  bytes: Uint8Array,
  shape: readonly [number, number, number],
): PixelImage {
  const [channels, height, width] = shape;
  if (channels !== 1 && channels !== 3) {
    throw new Error(`images have 1 or 3 channels, this one has ${channels}`);
  }
  return {
    width,
    height,
    channels,
    pixels: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  };
}
