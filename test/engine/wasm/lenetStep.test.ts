// A whole LeNet-5 training step (NHWC, PyTorch's layer sizes) gives the same gradients on WASM
// with our kernels as on tfjs' CPU backend: every kernel of the backward pass, in context.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { initBackends, runOn, scaledMaxError, seeded } from './backendCompare.js';

const BATCH = 16;
const SHAPES: Record<string, number[]> = {
  w1: [5, 5, 1, 6],
  b1: [6],
  w2: [5, 5, 6, 16],
  b2: [16],
  w3: [400, 120],
  b3: [120],
  w4: [120, 84],
  b4: [84],
  w5: [84, 10],
  b5: [10],
};

beforeAll(initBackends);

/** Gradients of the cross-entropy loss with respect to every parameter, on `backend`. */
function lenetGradients(backend: 'cpu' | 'wasm'): Promise<Float32Array[]> {
  return runOn(backend, () => {
    const p = Object.fromEntries(
      Object.entries(SHAPES).map(([name, shape], i) => [
        name,
        tf.tensor(
          seeded(
            shape.reduce((a, b) => a * b),
            100 + i,
          ).map((v) => v * 0.3),
          shape,
        ),
      ]),
    );
    // Digit-like inputs: mostly zero background with bright strokes, so ReLUs and pools tie.
    const x = tf.tensor4d(
      seeded(BATCH * 28 * 28, 7).map((v) => (v > 0.4 ? v : 0)),
      [BATCH, 28, 28, 1],
    );
    const labels = tf.oneHot(
      tf.tensor1d(
        [...Array(BATCH).keys()].map((i) => i % 10),
        'int32',
      ),
      10,
    );
    const loss = (...params: tf.Tensor[]) => {
      const [w1, b1, w2, b2, w3, b3, w4, b4, w5, b5] = params;
      let h = tf.relu(tf.add(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'same'), b1!)) as tf.Tensor4D;
      h = tf.maxPool(h, 2, 2, 'valid');
      h = tf.relu(tf.add(tf.conv2d(h, w2 as tf.Tensor4D, 1, 'valid'), b2!)) as tf.Tensor4D;
      h = tf.maxPool(h, 2, 2, 'valid');
      let f = tf.reshape(h, [BATCH, 400]) as tf.Tensor2D;
      f = tf.relu(tf.add(tf.matMul(f, w3 as tf.Tensor2D), b3!));
      f = tf.relu(tf.add(tf.matMul(f, w4 as tf.Tensor2D), b4!));
      f = tf.add(tf.matMul(f, w5 as tf.Tensor2D), b5!);
      return tf.losses.softmaxCrossEntropy(labels, f);
    };
    return tf.grads(loss)(Object.values(p));
  });
}

it('LeNet-5 training step: every parameter gradient equals the CPU one within 1e-4', async () => {
  const wasm = await lenetGradients('wasm');
  const cpu = await lenetGradients('cpu');
  expect(wasm).toHaveLength(10);
  const names = Object.keys(SHAPES);
  const errors = Object.fromEntries(names.map((n, i) => [n, scaledMaxError(wasm[i]!, cpu[i]!)]));
  for (const n of names) expect(errors[n], n).toBeLessThan(1e-4);
  // The gradients are not trivially zero (a dead network would pass any comparison).
  expect(Math.max(...Array.from(cpu[0]!, Math.abs))).toBeGreaterThan(1e-3);
});
