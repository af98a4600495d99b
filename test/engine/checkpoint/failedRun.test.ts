import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../src/api/training.js';
import { TrainingService } from '../../../src/engine/service/TrainingService.js';
import { ofType, smallConfig, template, train } from '../trainHelpers.js';

const mlp = template('mlp-digits');

const lastLine = (runDir: string): TrainEvent =>
  JSON.parse(
    readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').at(-1)!,
  ) as TrainEvent;

describe("a failed run's error is the last line of its metrics.jsonl", () => {
  it("records a diverged run's error as the last line of its metrics.jsonl", async () => {
    const events = await train(mlp, smallConfig({ optimizer: { name: 'sgd', lr: 1e38 } }));
    const error = events.at(-1)!;
    expect(error).toMatchObject({ type: 'error', code: 'nan-loss' });
    const runDir = ofType(events, 'started')[0]!.runDir;
    expect(lastLine(runDir)).toEqual(error);
  });

  it('records a crashed worker (killed mid-run) as worker-crashed', async () => {
    const service = new TrainingService();
    const events: TrainEvent[] = [];
    const done = new Promise<void>((resolve) => {
      service.onEvent((e) => {
        events.push(e);
        // Kill the thread mid-run, as an out-of-memory abort or a native crash would.
        if (e.type === 'batch' && e.epoch === 1 && e.batch === 2) {
          const runs = (
            service as unknown as {
              runs: Map<string, { worker: { terminate(): Promise<number> } | null }>;
            }
          ).runs;
          void runs.get(e.runId)?.worker?.terminate();
        }
        if (e.type === 'finished' || e.type === 'error') resolve();
      });
    });
    const config = smallConfig({ epochs: 50 });
    await service.start(mlp, config);
    await done;
    const error = events.at(-1)!;
    expect(error).toMatchObject({ type: 'error', code: 'worker-crashed' });
    expect(lastLine(ofType(events, 'started')[0]!.runDir)).toEqual(error);
  });
});
