// Our wasm Identity shares the buffer instead of copying it: clones must still behave as copies.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { selectBackend } from '../../../src/engine/selectBackend.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

it('a clone outlives its source and keeps its values when a variable is reassigned', () => {
  const before = tf.memory().numTensors;
  const a = tf.tensor([1, 2, 3]);
  const b = tf.clone(a);
  a.dispose();
  expect([...b.dataSync()]).toEqual([1, 2, 3]);
  const init = tf.tensor([4, 5]);
  const v = tf.variable(init);
  init.dispose();
  const c = tf.clone(v);
  const next = tf.tensor([7, 8]);
  v.assign(next);
  expect([...c.dataSync()]).toEqual([4, 5]);
  expect([...v.dataSync()]).toEqual([7, 8]);
  tf.dispose([b, c, v, next]);
  expect(tf.memory().numTensors).toBe(before);
});

it('gradients through saved (cloned) tensors are unchanged', () => {
  const x = tf.tensor([1, -2, 3]);
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), tf.exp(t))))(x);
  const expected = [1, -2, 3].map((v) => (v > 0 ? Math.exp(v) * (1 + v) : 0));
  const got = [...g.dataSync()];
  got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
  tf.dispose([x, g]);
});

it('string tensors still clone', () => {
  const s = tf.tensor(['a', 'b']);
  const c = tf.clone(s);
  s.dispose();
  expect(c.dataSync()).toEqual(['a', 'b']);
  c.dispose();
});
