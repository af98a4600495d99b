// Hand-written Keras models imported and run by our engine, against Keras' channels-last
// semantics reimplemented in numpy (keras_reference.py) from the same model.json and weights.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/weights/initialStateDict.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { fromTorchOrder, toTorchOrder } from '../../src/engine/model/layout.js';
import { importTorchWeights, type TorchTensor } from '../../src/engine/model/torchWeights.js';
import { importKeras } from '../../src/import/keras/importKeras.js';
import { runPythonCases, torchUnavailable } from '../engine/torchReference.js';
import { functionalFixture, sequentialFixture, type KerasFixture } from './kerasModels.js';

const SCRIPT = join(import.meta.dirname, 'keras_reference.py');
const TOLERANCE = 1e-4;

/** Our engine's evaluation-mode output of the import, for an N×H×W×C input given as N×C×H×W. */
function runImported(
  fixture: KerasFixture,
  nhwc: Float32Array,
): { types: string[]; out: number[] } {
  const imported = importKeras(JSON.stringify(fixture.model), {
    name: 'fixture',
    files: new Map([['group1-shard1of1.bin', fixture.bin]]),
  });
  const model = CompiledModel.compile(imported.graph);
  try {
    const weights = new Map<string, TorchTensor>();
    for (const [key, t] of imported.state) {
      weights.set(key, { shape: [...t.shape], data: Float32Array.from(t.data) });
    }
    importTorchWeights(model, weights);
    const [n = 1, h = 1, w = 1, c = 1] = fixture.inputShape;
    const out = tf.tidy(() => {
      const nchw = tf.tensor(nhwc, [n, h, w, c]).transpose([0, 3, 1, 2]);
      return toTorchOrder(model.predict(fromTorchOrder(nchw)));
    });
    const data = Array.from(out.dataSync());
    out.dispose();
    return { types: imported.graph.nodes.map((node) => `${node.id}:${node.type}`), out: data };
  } finally {
    model.dispose();
  }
}

const missing = torchUnavailable();

describe.skipIf(missing !== null)('importKeras against Keras semantics in numpy', () => {
  const cases = [
    ['Sequential', sequentialFixture()],
    ['functional with a residual Add', functionalFixture()],
  ] as const;

  it.each(cases)('%s: our engine on the import equals the reference', (_, fixture) => {
    const random = seededRandom(3);
    const count = fixture.inputShape.reduce((a, b) => a * b, 1);
    const input = Float32Array.from({ length: count }, () => random() * 2 - 1);
    const [expected] = runPythonCases<{ shape: number[]; data: number[] }>(SCRIPT, [
      {
        model: fixture.model,
        weights: fixture.weights,
        input: { shape: fixture.inputShape, data: Array.from(input) },
      },
    ]);
    const { types, out } = runImported(fixture, input);
    console.log(types.join(' '));
    expect(out.length).toBe(expected?.data.length);
    const diff = Math.max(...out.map((v, i) => Math.abs(v - (expected?.data[i] ?? NaN))));
    console.log(`${_}: max |Δ| ${diff.toExponential(2)} over ${out.length} outputs`);
    expect(diff).toBeLessThan(TOLERANCE);
  });
});
