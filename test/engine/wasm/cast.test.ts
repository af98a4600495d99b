// Our wasm Cast shares the buffer when the dtype does not change: the result must still behave as
// a copy, and real conversions must still match the CPU backend.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { initBackends, runOn } from './backendCompare.js';

beforeAll(initBackends);

it('a same-dtype cast outlives its source and leaks nothing', async () => {
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const a = tf.tensor([1.5, -2, 3]);
  const b = tf.cast(a, 'float32');
  a.dispose();
  expect([...b.dataSync()]).toEqual([1.5, -2, 3]);
  const i = tf.tensor([4, 5], undefined, 'int32');
  const j = tf.cast(i, 'int32');
  expect(j.dtype).toBe('int32');
  i.dispose();
  expect([...j.dataSync()]).toEqual([4, 5]);
  tf.dispose([b, j]);
  expect(tf.memory().numTensors).toBe(before);
});

it('conversions between dtypes and the ReLU gradient match the CPU backend', async () => {
  const values = [1.7, -2.2, 0, 3.5, -0.4];
  const run = (backend: 'cpu' | 'wasm') =>
    runOn(backend, () => {
      const x = tf.tensor(values);
      const asInt = tf.cast(x, 'int32');
      const asBool = tf.cast(x, 'bool');
      return [
        tf.cast(asInt, 'float32'),
        tf.cast(asBool, 'float32'),
        tf.cast(tf.cast(asBool, 'int32'), 'float32'),
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), t)))(x),
      ];
    });
  const wasm = await run('wasm');
  const cpu = await run('cpu');
  wasm.forEach((w, k) => expect([...w]).toEqual([...cpu[k]!]));
});
