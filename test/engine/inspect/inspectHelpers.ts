import * as tf from '@tensorflow/tfjs';
import type { FloatTensor, PixelImage } from '../../../src/api/inspect.js';
import type { LoadedCheckpoint } from '../../../src/engine/train/checkpoint.js';
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

/** LeNet's conv1 computed independently: [O,I,kH,kW] → [kH,kW,I,O], padding 2, NHWC → C×H×W. */
export function conv1Reference(
  checkpoint: LoadedCheckpoint,
  pixelsBase64: string,
  norm: { mean: readonly number[]; std: readonly number[] },
): Float32Array {
  const weight = checkpoint.weights.get('conv1.weight')!;
  const bias = checkpoint.weights.get('conv1.bias')!;
  const pixels = Buffer.from(pixelsBase64, 'base64');
  const [mean, std] = [norm.mean[0]!, norm.std[0]!];
  return tf.tidy(() => {
    const x = tf
      .tensor(
        Float32Array.from(pixels, (p) => (p / 255 - mean) / std),
        [1, 28, 28, 1],
      )
      .pad([
        [0, 0],
        [2, 2],
        [2, 2],
        [0, 0],
      ]);
    const kernel = tf.tensor(weight.data, weight.shape).transpose([2, 3, 1, 0]);
    const y = tf
      .conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'valid')
      .add(tf.tensor1d(bias.data));
    return y.transpose([0, 3, 1, 2]).dataSync() as Float32Array;
  });
}
