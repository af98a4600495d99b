import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../src/api/training.js';
import { readRunConfig } from '../../../src/engine/inspect/runFolder.js';
import { ofType, smallConfig, template, train } from '../trainHelpers.js';

const mlp = template('mlp-digits');

const metricsOf = (runDir: string): TrainEvent[] =>
  readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TrainEvent);

const json = (path: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

describe('resuming a run', () => {
  it('continues from a kill between an epoch line and its checkpoint without recording the epoch twice', async () => {
    // A 2-epoch run whose last/ is put back to epoch 1 and whose metrics.jsonl ends in a torn
    // line: what a kill after epoch 2's metrics lines but before its checkpoint leaves.
    let runDir = '';
    const saved = join(smallConfig().outDir, 'last-epoch-1');
    await train(mlp, smallConfig({ epochs: 2 }), (e) => {
      if (e.type === 'started') runDir = e.runDir;
      if (e.type === 'checkpoint' && e.kind === 'last' && e.epoch === 1) {
        cpSync(e.path, saved, { recursive: true });
      }
    });
    rmSync(join(runDir, 'last'), { recursive: true });
    cpSync(saved, join(runDir, 'last'), { recursive: true });
    const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').split('\n');
    writeFileSync(
      join(runDir, 'metrics.jsonl'),
      `${lines.filter((l) => !l.includes('"finished"')).join('\n')}{"type":"epo`,
    );

    const resumed = await train(mlp, smallConfig({ epochs: 1, resumeFrom: runDir }));
    expect(resumed.at(-1)).toMatchObject({ type: 'finished', epochsCompleted: 1 });
    const metrics = metricsOf(runDir);
    expect(ofType(metrics, 'epoch').map((e) => e.epoch)).toEqual([1, 2]);
    expect(ofType(metrics, 'evaluation').map((e) => e.epoch)).toEqual([1, 2]);
    expect(metrics.map((e) => e.type)).toEqual([
      'started',
      'epoch',
      'evaluation',
      'started',
      'epoch',
      'evaluation',
      'finished',
    ]);
  });

  it("compares a new best with best/'s accuracy, not last/'s, and keeps config.json as begun", async () => {
    const first = await train(mlp, smallConfig({ epochs: 2 }));
    const runDir = ofType(first, 'started')[0]!.runDir;
    // best/ records 0.99 (model.json's own metadata; its files stay whole).
    const bestJson = join(runDir, 'best', 'model.json');
    const best = json(bestJson) as { nnb: { valAccuracy: number; epoch: number } };
    best.nnb.valAccuracy = 0.99;
    writeFileSync(bestJson, JSON.stringify(best));
    const bestEpoch = best.nnb.epoch;

    const resumed = await train(mlp, smallConfig({ epochs: 1, resumeFrom: runDir }));
    expect(ofType(resumed, 'checkpoint').map((e) => e.kind)).toEqual(['last']);
    expect(resumed.at(-1)).toMatchObject({
      type: 'finished',
      bestValAccuracy: 0.99,
      bestEpoch,
    });
    expect(json(bestJson)).toMatchObject({ nnb: { valAccuracy: 0.99, epoch: bestEpoch } });
    expect(json(join(runDir, 'config.json'))).toMatchObject({ epochs: 2, resumeFrom: null });
    expect(json(join(runDir, 'config-resume-1.json'))).toMatchObject({
      epochs: 1,
      resumeFrom: runDir,
    });
    await train(mlp, smallConfig({ epochs: 1, resumeFrom: runDir }));
    expect(json(join(runDir, 'config-resume-2.json'))).toMatchObject({ epochs: 1 });
    // The inspect views prepare the data again as the latest session did.
    expect(readRunConfig(runDir)).toMatchObject({ epochs: 1, resumeFrom: runDir });
    expect(json(join(runDir, 'config.json'))).toMatchObject({ epochs: 2 });
  });

  it('refuses a torn last/ with a message naming the file, recorded in metrics.jsonl', async () => {
    const first = await train(mlp, smallConfig({ epochs: 1 }));
    const runDir = ofType(first, 'started')[0]!.runDir;
    // The old file-by-file checkpoint's torn state: weights from another epoch than model.json.
    cpSync(join(runDir, 'initial', 'weights.bin'), join(runDir, 'last', 'weights.bin'));
    const resumed = await train(mlp, smallConfig({ epochs: 1, resumeFrom: runDir }));
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ type: 'error', code: 'checkpoint' });
    const message = resumed[0]!.type === 'error' ? resumed[0]!.message : '';
    expect(message).toContain(join(runDir, 'last', 'weights.bin'));
    expect(message).toMatch(/model\.json \(epoch 1\).*torn/);
    expect(metricsOf(runDir).at(-1)).toEqual(resumed[0]);
  });
});
