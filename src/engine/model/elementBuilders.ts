import tf from '../tfjs.cjs';
import type { BuildArgs, BuiltLayer } from './LayerBuilder.js';
import { ourAxis } from './layout.js';

/** A layer without weights that maps one tensor to another. */
function unary(fn: (x: tf.Tensor) => tf.Tensor): BuiltLayer {
  return { weights: [], apply: ([x]) => fn(x as tf.Tensor) };
}

const SQRT_HALF = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export const buildReLU = (): BuiltLayer => unary(tf.relu);
export const buildReLU6 = (): BuiltLayer => unary(tf.relu6);
export const buildSigmoid = (): BuiltLayer => unary(tf.sigmoid);
export const buildTanh = (): BuiltLayer => unary(tf.tanh);
export const buildIdentity = (): BuiltLayer => unary((x) => x);
export const buildSiLU = (): BuiltLayer => unary((x) => tf.mul(x, tf.sigmoid(x)));
/** x·ReLU6(x + 3)/6 (torch.nn.Hardswish); relu6, add and mul have gradients on cpu and wasm. */
export const buildHardswish = (): BuiltLayer =>
  unary((x) => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)));
/** ReLU6(x + 3)/6 (torch.nn.Hardsigmoid), from ops with gradients on cpu and wasm. */
export const buildHardsigmoid = (): BuiltLayer => unary((x) => tf.div(tf.relu6(tf.add(x, 3)), 6));

export const buildLeakyReLU = ({ params }: BuildArgs<{ negative_slope: number }>): BuiltLayer =>
  unary((x) => tf.leakyRelu(x, params.negative_slope));

/**
 * tf.elu has alpha fixed at 1; PyTorch's alpha is a parameter. relu(x) + α·expm1(−relu(−x)) is
 * ELU written with ops that all have gradients (a `where` on `x > 0` has none for the comparison).
 */
export const buildELU = ({ params }: BuildArgs<{ alpha: number }>): BuiltLayer =>
  unary((x) =>
    params.alpha === 1
      ? tf.elu(x)
      : tf.add(tf.relu(x), tf.mul(params.alpha, tf.expm1(tf.neg(tf.relu(tf.neg(x)))))),
  );

export const buildGELU = ({ params }: BuildArgs<{ approximate: 'none' | 'tanh' }>): BuiltLayer =>
  unary((x) => {
    if (params.approximate === 'tanh') {
      // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
      const inner = tf.mul(SQRT_2_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
      return tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(inner)));
    }
    return tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.mul(x, SQRT_HALF))));
  });

/**
 * log-softmax along any axis as x − logΣexp(x) (tf.logSoftmax/softmax only take the last axis).
 * PyTorch's dim counts the batch axis; a feature map's channel dim maps to our last axis.
 */
function logSoftmax(x: tf.Tensor, dim: number): tf.Tensor {
  const axis = ourAxis(dim, x.rank);
  return tf.sub(x, tf.logSumExp(x, axis, true));
}

export const buildLogSoftmax = ({ params }: BuildArgs<{ dim: number }>): BuiltLayer =>
  unary((x) => logSoftmax(x, params.dim));

export const buildSoftmax = ({ params }: BuildArgs<{ dim: number }>): BuiltLayer =>
  unary((x) => tf.exp(logSoftmax(x, params.dim)));

/**
 * Inverted dropout as torch: keep with probability 1−p and scale survivors by 1/(1−p). Masks are
 * drawn from the run's seeded generator; `channels` drops whole channels (Dropout2d).
 */
function dropout(p: number, channels: boolean): BuiltLayer {
  return {
    weights: [],
    apply([input], _w, ctx) {
      const x = input as tf.Tensor;
      if (!ctx.training || p === 0) return x;
      if (p === 1) return tf.zerosLike(x);
      const shape = x.shape.slice();
      if (channels && x.rank === 4) shape.splice(1, 2, 1, 1); // NHWC: one draw per (n, c)
      if (channels && x.rank === 3) shape[2] = 1; // N×C×L: one draw per (n, c)
      const keep = tf.greaterEqual(tf.randomUniform(shape, 0, 1, 'float32', ctx.nextSeed()), p);
      return tf.mul(x, tf.mul(tf.cast(keep, 'float32'), 1 / (1 - p)));
    },
  };
}

export const buildDropout = ({ params }: BuildArgs<{ p: number }>): BuiltLayer =>
  dropout(params.p, false);
export const buildDropout2d = ({ params }: BuildArgs<{ p: number }>): BuiltLayer =>
  dropout(params.p, true);
