// Training on the webgpu backend where the app runs it: in the TrainingService's worker threads
// (web server, Electron), one worker after another, with pause/resume and prediction after.
import { afterEach, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../../src/api/training.js';
import { TrainingService } from '../../../src/engine/service/TrainingService.js';
import { probe } from './adapter.js';
import { tempDir, template } from '../trainHelpers.js';

function collect(service: TrainingService, onEvent: (e: TrainEvent) => void = () => {}) {
  const events: TrainEvent[] = [];
  const done = new Promise<TrainEvent[]>((resolve) => {
    const off = service.onEvent((e) => {
      events.push(e);
      onEvent(e);
      if (e.type === 'finished' || e.type === 'error') {
        off();
        resolve(events);
      }
    });
  });
  return done;
}

describe.skipIf(!probe.ok)('webgpu training in the app’s worker threads', () => {
  let service: TrainingService;
  afterEach(async () => {
    await service.dispose();
  });

  it('trains, pauses after reporting every queued batch, resumes, and runs a second worker', async () => {
    service = new TrainingService();
    const config = {
      backend: 'webgpu' as const,
      epochs: 1,
      batchSize: 32,
      maxTrainSamples: 960,
      maxValidationSamples: 64,
      outDir: tempDir(),
    };
    let runId = '';
    let paused = false;
    const first = collect(service, (e) => {
      if (e.type === 'batch' && e.batch === 2 && !paused) {
        paused = true;
        void service.pause(runId);
      }
      if (e.type === 'paused') void service.resume(runId);
    });
    runId = (await service.start(template('lenet-5'), config)).runId;
    const events = await first;
    expect(events.at(-1)).toMatchObject({ type: 'finished', reason: 'completed' });
    const started = events.find((e) => e.type === 'started');
    expect(started).toMatchObject({ backend: 'webgpu' });
    expect(started?.type === 'started' ? started.device : '').toContain(
      probe.ok ? probe.adapter.description : '?',
    );
    // Every batch is reported once, in order, although they are read back in groups.
    const batches = events
      .filter((e) => e.type === 'batch')
      .map((e) => (e.type === 'batch' ? e.batch : 0));
    expect(batches).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    // The pause comes after every step queued so far was reported: its batch is the last one.
    const pausedIndex = events.findIndex((e) => e.type === 'paused');
    const before = events
      .slice(0, pausedIndex)
      .filter((e) => e.type === 'batch')
      .at(-1);
    expect(pausedIndex).toBeGreaterThan(0);
    expect(events[pausedIndex]).toMatchObject({
      batch: before?.type === 'batch' ? before.batch : -1,
    });

    // A second run: Dawn loads again in a new worker thread.
    const second = collect(service);
    await service.start(template('lenet-5'), config);
    expect((await second).at(-1)).toMatchObject({ type: 'finished', reason: 'completed' });

    const prediction = await service.predict(runId, {
      width: 28,
      height: 28,
      channels: 1,
      data: new Uint8Array(784),
    });
    expect(prediction.probabilities).toHaveLength(10);
  }, 300_000);
});
