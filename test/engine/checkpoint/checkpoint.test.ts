import * as tf from '@tensorflow/tfjs';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadCheckpoint,
  saveCheckpoint,
  type LoadedCheckpoint,
} from '../../../src/engine/train/checkpoint.js';
import type { SwitchStep } from '../../../src/engine/train/checkpointFolder.js';
import { tempDir } from '../trainHelpers.js';
import { epochModel, type EpochModel } from './epochModel.js';

/** The epoch a loaded checkpoint stands for, after checking that all its parts agree on it. */
function wholeEpoch(c: LoadedCheckpoint): number {
  const epoch = c.meta.epoch;
  for (const [key, t] of c.weights) {
    expect(
      t.data.every((v) => v === epoch),
      `${key} of epoch ${epoch}`,
    ).toBe(true);
  }
  expect(c.optimizer?.steps).toBe(epoch);
  for (const [key, t] of c.optimizer?.state ?? []) {
    expect(
      (t.dataSync() as Float32Array).every((v) => v === epoch),
      `optimizer ${key} of epoch ${epoch}`,
    ).toBe(true);
    t.dispose();
  }
  return epoch;
}

const WRITER = join(import.meta.dirname, 'checkpointWriter.ts');
let m: EpochModel;
beforeAll(async () => {
  await tf.setBackend('cpu');
  m = epochModel();
});
afterAll(() => {
  m.model.dispose();
  m.optimizer.dispose();
  // A test that failed half-way must not leave a writer running.
  for (const child of writers) child.kill('SIGKILL');
});

const writers = new Set<ChildProcessByStdio<null, Readable, null>>();
function startWriter(run: string, ...step: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, run, ...step], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  writers.add(child);
  child.on('exit', () => writers.delete(child));
  return child;
}

async function save(dir: string, epoch: number, afterStep?: (step: SwitchStep) => void) {
  m.setEpoch(epoch);
  await saveCheckpoint(dir, m.graph, m.model, m.meta(epoch), m.optimizer, afterStep);
}

describe('a checkpoint is switched in whole', () => {
  it.each<[SwitchStep, number]>([
    ['staged', 1],
    ['moved-aside', 2],
    ['switched', 2],
  ])(
    'a crash after "%s" leaves a whole checkpoint (epoch %d), put back by the next write',
    async (step, expected) => {
      const run = tempDir('nnb-ckpt-');
      const last = join(run, 'last');
      await save(last, 1);
      const crash = new Error(`crash after ${step}`);
      await expect(
        save(last, 2, (s) => {
          if (s === step) throw crash;
        }),
      ).rejects.toBe(crash);
      expect(wholeEpoch(loadCheckpoint(last, true))).toBe(expected);
      await save(last, 3);
      expect(wholeEpoch(loadCheckpoint(last, true))).toBe(3);
      expect(readdirSync(run)).toEqual(['last']);
    },
  );

  it('refuses a folder whose files do not belong together, naming the file', async () => {
    const [a, b] = [join(tempDir('nnb-ckpt-'), 'last'), join(tempDir('nnb-ckpt-'), 'last')];
    await save(a, 1);
    await save(b, 2);
    // What the old file-by-file checkpoint left after a kill: epoch-2 weights, epoch-1 model.json.
    copyFileSync(join(b, 'weights.bin'), join(a, 'weights.bin'));
    expect(() => loadCheckpoint(a, true)).toThrow(
      new RegExp(
        `${join(a, 'weights.bin')} .* is not the file model.json \\(epoch 1\\) was written with .* torn`,
      ),
    );
    copyFileSync(join(b, 'optimizer.bin'), join(a, 'optimizer.bin'));
    copyFileSync(join(b, 'model.json'), join(a, 'model.json'));
    expect(wholeEpoch(loadCheckpoint(a, true))).toBe(2);
  });

  it.each<[SwitchStep, number]>([
    ['wrote weights.bin', 2],
    ['wrote optimizer.bin', 2],
    ['wrote model.json', 2],
    ['staged', 2],
    ['moved-aside', 3],
    ['switched', 3],
  ])(
    'a kill -9 of the writer after "%s" leaves a whole checkpoint (epoch %d)',
    async (step, expected) => {
      const run = tempDir('nnb-ckpt-kill-');
      const child = startWriter(run, step);
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes(`at ${step}`)) resolve();
        });
        child.on('exit', () => resolve());
      });
      child.kill('SIGKILL');
      await exited;
      expect(wholeEpoch(loadCheckpoint(join(run, 'last'), true))).toBe(expected);
      await save(join(run, 'last'), 4);
      expect(wholeEpoch(loadCheckpoint(join(run, 'last'), true))).toBe(4);
      expect(readdirSync(run)).toEqual(['last']);
    },
    60_000,
  );

  it('survives kill -9 at random moments of a checkpoint loop: last/ always loads whole', async () => {
    const run = tempDir('nnb-ckpt-kill-');
    for (let round = 0; round < 4; round++) {
      const child = startWriter(run);
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      // Wait for a few saves, then kill at a random moment inside the following ones.
      await new Promise<void>((resolve) => {
        let saves = 0;
        child.stdout.on('data', (chunk: Buffer) => {
          saves += chunk.toString().split('\n').length - 1;
          if (saves === 2) setTimeout(resolve, Math.random() * 120);
        });
        child.on('exit', () => resolve());
      });
      child.kill('SIGKILL');
      await exited;
      // Whichever epoch the kill left (the one being written or the one before), all its
      // parts agree; each round's writer starts again at epoch 1 and saved at least 2.
      expect(wholeEpoch(loadCheckpoint(join(run, 'last'), true))).toBeGreaterThanOrEqual(2);
    }
  }, 120_000);
});
