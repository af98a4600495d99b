import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { TrainEventSchema, type TrainEvent } from '../../src/api/training.js';
import { datasetFromArg } from '../../src/cli/trainCommand.js';
import { modelFolder } from '../../src/engine/predict/Predictor.js';
import { loadCheckpoint } from '../../src/engine/train/checkpoint.js';
import { nnb } from '../cli/nnb.js';
import { tempDir } from './trainHelpers.js';

function events(stdout: string): TrainEvent[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => TrainEventSchema.parse(JSON.parse(line)));
}

describe('nnb train / nnb predict', () => {
  it('trains (JSON lines when piped), then predicts from the run folder', () => {
    const out = tempDir();
    const train = nnb(
      'train',
      'templates/mlp-digits.nnb.json',
      '--epochs',
      '1',
      '--max-samples',
      '200',
      '--backend',
      'cpu',
      '--out',
      out,
    );
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const all = events(train.stdout);
    expect(all[0]).toMatchObject({ type: 'started', backend: 'cpu' });
    const finished = all.at(-1)!;
    expect(finished).toMatchObject({ type: 'finished', reason: 'completed' });
    const runDir = finished.type === 'finished' ? finished.runDir : '';

    const png = new PNG({ width: 28, height: 28 });
    png.data.fill(255);
    const image = join(out, 'white.png');
    writeFileSync(image, PNG.sync.write(png));
    const bogus = join(out, 'bogus.png');
    writeFileSync(bogus, 'not an image');
    const predict = nnb('predict', runDir, image, bogus, '--json');
    expect(predict.code).toBe(1);
    expect(predict.stderr).toMatch(/cannot read .*bogus\.png: not a PNG or JPEG image/);
    const result = JSON.parse(predict.stdout.trim()) as { image: string; probabilities: number[] };
    expect(result.image).toBe(image);
    expect(result.probabilities).toHaveLength(10);
  });

  it.each([
    [['train'], /takes one graph file/],
    [['train', 'templates/lenet-5.nnb.json', '--optimizer', 'lion'], /optimizer/],
    [['train', 'templates/lenet-5.nnb.json', '--epochs', 'many'], /--epochs needs a number/],
    [
      ['train', 'templates/lenet-5.nnb.json', '--data', '/no/such/folder'],
      /no such file or folder/,
    ],
    [['predict', 'templates'], /takes one run folder and at least one image, got 1/],
    [['predict', 'templates', 'x.png'], /holds no trained model/],
  ])('nnb %j is a usage error with a clear message', (args, message) => {
    const r = nnb(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('--weights starts from a run’s weights, with the normalization they were trained with', () => {
    const out = tempDir();
    const args = ['--epochs', '1', '--max-samples', '200', '--backend', 'cpu', '--out', out];
    const first = events(nnb('train', 'templates/mlp-digits.nnb.json', ...args).stdout).at(-1);
    const from = first?.type === 'finished' ? first.runDir : '';
    const tuned = nnb('train', 'templates/mlp-digits.nnb.json', ...args, '--weights', from);
    expect(tuned.code).toBe(0);
    const all = events(tuned.stdout);
    expect(all).toContainEqual(
      expect.objectContaining({
        type: 'warning',
        message: expect.stringMatching(
          /^Starts from the weights of run-[^:]+: all 2 weighted layers/,
        ),
      }),
    );
    const last = all.at(-1);
    const runDir = last?.type === 'finished' ? last.runDir : '';
    const source = loadCheckpoint(modelFolder(from));
    const initial = loadCheckpoint(join(runDir, 'initial'));
    expect(initial.meta.mean).toEqual(source.meta.mean);
    expect(initial.meta.std).toEqual(source.meta.std);
    for (const [key, tensor] of source.weights) {
      expect(Array.from(initial.weights.get(key)?.data ?? []), key).toEqual(
        Array.from(tensor.data),
      );
    }

    const missing = nnb('train', 'templates/mlp-digits.nnb.json', ...args, '--weights', out);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /--weights .*holds no trained model \(no best\/, last\/ or model\.json\)/,
    );
  });

  it('reports a backend that cannot load as an error event, not a crash', () => {
    const r = nnb(
      'train',
      'templates/mlp-digits.nnb.json',
      '--backend',
      'tensorflow',
      '--out',
      tempDir(),
    );
    expect(r.code).toBe(1);
    const last = events(r.stdout).at(-1)!;
    expect(last).toMatchObject({ type: 'error', code: 'backend' });
    expect(last.type === 'error' && last.message).toMatch(
      /tensorflow backend cannot load.*@tensorflow\/tfjs-node/,
    );
  });

  it('--data recognizes the dataset format from the folder’s contents', () => {
    const idx = tempDir();
    writeFileSync(join(idx, 'train-images-idx3-ubyte.gz'), '');
    const cifar = tempDir();
    writeFileSync(join(cifar, 'data_batch_1.bin'), '');
    const images = tempDir();
    mkdirSync(join(images, 'cats'));
    expect(datasetFromArg('digits')).toEqual({ kind: 'digits' });
    expect(datasetFromArg(idx)).toEqual({ kind: 'idx', path: idx });
    expect(datasetFromArg(join(idx, 'train-images-idx3-ubyte.gz'))).toEqual({
      kind: 'idx',
      path: idx,
    });
    expect(datasetFromArg(cifar)).toEqual({ kind: 'cifar10', path: cifar });
    expect(datasetFromArg(images)).toEqual({ kind: 'image-folder', path: images });
  });
});
