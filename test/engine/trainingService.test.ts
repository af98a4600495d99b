import { afterEach, describe, expect, it } from 'vitest';
import type { TrainEvent } from '../../src/api/training.js';
import { TrainingService } from '../../src/engine/service/TrainingService.js';
import { tempDir, template } from './trainHelpers.js';

/** Collects a run's events until its terminal one. */
function runEvents(
  service: TrainingService,
  onEvent: (e: TrainEvent, runId: string) => void = () => {},
) {
  const events: TrainEvent[] = [];
  let runId = '';
  const done = new Promise<TrainEvent[]>((resolve) => {
    service.onEvent((e) => {
      events.push(e);
      onEvent(e, runId);
      if (e.type === 'finished' || e.type === 'error') resolve(events);
    });
  });
  return { done, setRunId: (id: string) => (runId = id) };
}

const config = () => ({
  backend: 'cpu' as const,
  epochs: 2,
  batchSize: 32,
  maxTrainSamples: 128,
  maxValidationSamples: 64,
  outDir: tempDir(),
});

describe('TrainingService (worker threads)', () => {
  let service: TrainingService;
  afterEach(async () => {
    await service.dispose();
  });

  it('trains in a worker, is paused and resumed by messages, and predicts from the run', async () => {
    service = new TrainingService();
    let paused = false;
    const { done, setRunId } = runEvents(service, (e, runId) => {
      if (e.type === 'batch' && !paused) {
        paused = true;
        void service.pause(runId);
      }
      if (e.type === 'paused') void service.resume(runId);
    });
    const { runId } = await service.start(template('mlp-digits'), config());
    setRunId(runId);
    const events = await done;
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('started');
    expect(types).toContain('paused');
    expect(types.indexOf('resumed')).toBeGreaterThan(types.indexOf('paused'));
    expect(events.at(-1)).toMatchObject({ type: 'finished', reason: 'completed', runId });
    const prediction = await service.predict(runId, {
      width: 28,
      height: 28,
      channels: 1,
      data: new Uint8Array(784),
    });
    expect(prediction.probabilities).toHaveLength(10);
  });

  it('stops a run on request', async () => {
    service = new TrainingService();
    const { done, setRunId } = runEvents(service, (e, runId) => {
      if (e.type === 'batch' && e.batch === 1) void service.stop(runId);
    });
    setRunId((await service.start(template('mlp-digits'), { ...config(), epochs: 5 })).runId);
    expect((await done).at(-1)).toMatchObject({ type: 'finished', reason: 'stopped' });
  });

  it('turns a worker that dies into a worker-crashed error event', async () => {
    service = new TrainingService();
    const { done } = runEvents(service, (e) => {
      // Kill the thread mid-run, as an out-of-memory abort or a native crash would.
      if (e.type === 'batch') {
        const runs = (
          service as unknown as { runs: Map<string, { worker: { terminate(): Promise<number> } }> }
        ).runs;
        void runs.get(e.runId)?.worker.terminate();
      }
    });
    await service.start(template('mlp-digits'), { ...config(), epochs: 50 });
    expect((await done).at(-1)).toMatchObject({ type: 'error', code: 'worker-crashed' });
  });

  it('rejects an invalid config before starting anything', async () => {
    service = new TrainingService();
    await expect(service.start(template('mlp-digits'), { batchSize: 0 })).rejects.toThrow(
      /batchSize/,
    );
  });
});
