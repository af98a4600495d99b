// `nnb import model.json` through the real bin: the .bin files beside it are read, the checkpoint
// written computes what Keras computes (numpy reference), refusals exit 1 and broken files 2,
// neither writing anything.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/weights/initialStateDict.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { fromTorchOrder, toTorchOrder } from '../../src/engine/model/layout.js';
import { loadCheckpoint, restoreWeights } from '../../src/engine/train/checkpoint.js';
import { nnb } from '../cli/nnb.js';
import { runPythonCases, torchUnavailable } from '../engine/torchReference.js';
import { functionalFixture, type KerasFixture } from './kerasModels.js';

const work = mkdtempSync(join(tmpdir(), 'nnb-keras-'));

/** Writes model.json and its weights file into a folder of its own; returns model.json's path. */
function writeFixture(name: string, fixture: KerasFixture, bin = fixture.bin): string {
  const dir = join(work, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(fixture.model));
  writeFileSync(join(dir, 'group1-shard1of1.bin'), bin);
  return join(dir, 'model.json');
}

const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

describe('nnb import model.json', () => {
  it('imports a functional Keras model; the checkpoint computes what Keras does', () => {
    const fixture = functionalFixture();
    const out = join(work, 'imported');
    const run = nnb('import', writeFixture('functional', fixture), '--out', out);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/imported 14 nodes, 421 parameters \(Keras Functional, 2\.15\.0\)/);
    const summary = nnb('summary', join(out, 'model.nnb.json'), '--json');
    expect(summary.code).toBe(0);
    const json = JSON.parse(summary.stdout) as { totals: { params: number; buffers: number } };
    // Parameters as Keras counts trainable ones: kernels, biases, gamma, beta.
    const trainable = Object.entries(fixture.weights)
      .filter(([name]) => !/moving_(mean|variance)$/.test(name))
      .reduce((n, [, w]) => n + w.data.length, 0);
    expect(json.totals.params).toBe(trainable);

    if (torchUnavailable() !== null) return;
    const random = seededRandom(5);
    const input = Array.from({ length: 2 * 10 * 10 * 2 }, () => random() * 2 - 1);
    const [expected] = runPythonCases<{ data: number[] }>(
      join(import.meta.dirname, 'keras_reference.py'),
      [
        {
          model: fixture.model,
          weights: fixture.weights,
          input: { shape: [2, 10, 10, 2], data: input },
        },
      ],
    );
    const checkpoint = loadCheckpoint(out);
    const model = CompiledModel.compile(checkpoint.graph);
    restoreWeights(model, checkpoint);
    const ours = tf.tidy(() => {
      const nchw = tf.tensor(input, [2, 10, 10, 2]).transpose([0, 3, 1, 2]);
      return Array.from(toTorchOrder(model.predict(fromTorchOrder(nchw))).dataSync());
    });
    model.dispose();
    const diff = Math.max(...ours.map((v, i) => Math.abs(v - (expected?.data[i] ?? NaN))));
    console.log(
      `nnb import model.json: checkpoint vs numpy Keras max |Δ| ${diff.toExponential(2)}`,
    );
    expect(diff).toBeLessThan(1e-4);
  });

  it('refuses layers it cannot express: exit 1, the table, nothing written', () => {
    const fixture = functionalFixture();
    const topology = fixture.model.modelTopology as {
      config: { layers: { class_name: string }[] };
    };
    const layers = topology.config.layers;
    const join2 = layers.find((l) => l.class_name === 'Add');
    if (join2) join2.class_name = 'Subtract';
    const out = join(work, 'refused-imported');
    const run = nnb('import', writeFixture('refused', fixture), '--out', out);
    expect(run.code).toBe(1);
    noStack(run.stderr);
    expect(run.stderr).toMatch(
      /cannot be imported: 1 node\(s\) of 1 kind\(s\).*Nothing was written/,
    );
    expect(run.stderr).toMatch(/^Subtract\s+1\s+join\s+no NN Builder layer computes it$/m);
    expect(existsSync(out)).toBe(false);
  });

  it('a truncated weights file exits 2 naming it, and writes nothing', () => {
    const fixture = functionalFixture();
    const path = writeFixture('cut', fixture, fixture.bin.subarray(0, 100));
    const out = join(work, 'cut-imported');
    const run = nnb('import', path, '--out', out);
    expect(run.code).toBe(2);
    noStack(run.stderr);
    expect(run.stderr).toMatch(
      /model\.json: group1-shard1of1\.bin holds 100 bytes but its manifest lists \d+: the file is truncated/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
