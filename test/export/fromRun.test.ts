import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/weights/initialStateDict.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { loadCheckpoint, restoreWeights } from '../../src/engine/train/checkpoint.js';
import { transpose } from '../../src/export/tfjs/kerasEmitters.js';
import { nnb } from '../cli/nnb.js';
import { largestDifference } from './exportCase.js';
import { PYTHON, torchMissing } from './torchAvailable.js';

// A model trained by the engine, exported by `nnb export <run-dir>` to every format: each runtime
// must compute what the engine computes with the trained weights.
describe.skipIf(torchMissing !== null)(
  `exports of a trained run equal the engine${torchMissing ? ` (skipped: ${torchMissing})` : ''}`,
  () => {
    const work = mkdtempSync(join(tmpdir(), 'nnb-run-export-'));
    const batch = 3;
    const random = seededRandom(5);
    const input = Float32Array.from({ length: batch * 28 * 28 }, () => random());
    let engineOut: Float32Array;
    let run: string;

    beforeAll(async () => {
      const train = nnb(
        'train',
        'templates/lenet-5.nnb.json',
        '--epochs',
        '1',
        '--max-samples',
        '256',
        '--out',
        join(work, 'runs'),
        '--json',
        '--backend',
        'wasm',
      );
      expect(train.code, train.stderr).toBe(0);
      run = join(work, 'runs', readdirSync(join(work, 'runs'))[0] ?? '');
      await tf.setBackend('cpu');
      const checkpoint = loadCheckpoint(join(run, 'best'));
      const model = CompiledModel.compile(checkpoint.graph);
      restoreWeights(model, checkpoint);
      const x = tf.tensor(input, [batch, 28, 28, 1]); // the engine's layout: NHWC
      const y = model.predict(x);
      engineOut = y.dataSync() as Float32Array;
      tf.dispose([x, y]);
      model.dispose();
      writeFileSync(join(work, 'in0.f32'), input);
    }, 120_000);

    it('ONNX (onnxruntime)', async () => {
      const out = join(work, 'onnx');
      expect(nnb('export', run, '--format', 'onnx', '--out', out).code).toBe(0);
      const session = await ort.InferenceSession.create(join(out, 'model.onnx'));
      const result = await session.run({
        input: new ort.Tensor('float32', input, [batch, 1, 28, 28]),
      });
      expect(largestDifference(engineOut, result.fc3?.data as Float32Array)).toBeLessThan(1e-4);
    });

    it('PyTorch (model.py + weights.safetensors)', () => {
      const out = join(work, 'torch');
      expect(nnb('export', run, '--format', 'pytorch', '--out', out).code).toBe(0);
      writeFileSync(
        join(work, 'manifest.json'),
        JSON.stringify([{ dir: out, batch, inputs: [join(work, 'in0.f32')] }]),
      );
      const ref = spawnSync(
        PYTHON,
        [join(import.meta.dirname, 'run_reference.py'), join(work, 'manifest.json')],
        { encoding: 'utf8' },
      );
      expect(JSON.parse(ref.stdout)).toEqual({ [out]: null });
      const bytes = readFileSync(join(out, 'ref0.f32'));
      const torchOut = new Float32Array(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      );
      expect(largestDifference(engineOut, torchOut)).toBeLessThan(1e-4);
    });

    it('TensorFlow.js (tf.loadLayersModel)', async () => {
      const out = join(work, 'tfjs');
      expect(nnb('export', run, '--format', 'tfjs', '--out', out).code).toBe(0);
      const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
      const bin = readFileSync(join(out, 'weights.bin'));
      const model = await tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: json.modelTopology,
          weightSpecs: json.weightsManifest[0].weights,
          weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
        }),
      );
      const x = tf.tensor(transpose(input, [batch, 1, 28, 28], [0, 2, 3, 1]), [batch, 28, 28, 1]);
      const y = model.predict(x) as tf.Tensor;
      expect(largestDifference(engineOut, y.dataSync() as Float32Array)).toBeLessThan(1e-4);
      tf.dispose([x, y]);
    });
  },
);
