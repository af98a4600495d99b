import type { FloatTensor, PixelImage } from '../../../src/api/inspect.js';
import type { ImageInput } from '../../../src/api/training.js';
import { decodeFloats } from '../../../src/engine/inspect/encode.js';

/** A PixelImage from the contract as the ImageInput a request carries. */
export function asInput(image: PixelImage): ImageInput {
  return {
    width: image.width,
    height: image.height,
    channels: image.channels,
    data: Array.from(Buffer.from(image.pixels, 'base64')),
  };
}

export const floats = (t: FloatTensor): Float32Array => decodeFloats(t);

/** Largest |a − b| / (1 + |b|) over two equally long arrays. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  }
  return worst;
}
