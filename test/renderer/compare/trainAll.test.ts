import { describe, expect, it } from 'vitest';
import type {
  TrainConfigInput,
  TrainEvent,
  TrainingApi,
  TrainStartOptions,
} from '../../../src/api/training';
import { DEFAULT_TRAINING } from '../../../src/core/compare/compareDocument';
import type { GraphDocument } from '../../../src/core/graph/document';
import { createCompareStore } from '../../../renderer/compare/compareStore';
import { chain } from '../../helpers';

/**
 * An engine double that plays a scripted run per start() call: events are delivered before
 * start() answers for the first run (as a real host may do), after it for the others.
 */
function scriptedEngine(script: (runId: string, graph: GraphDocument) => TrainEvent[]) {
  const listeners = new Set<(e: TrainEvent) => void>();
  const starts: {
    graph: GraphDocument;
    config: TrainConfigInput;
    options?: TrainStartOptions;
  }[] = [];
  const stops: string[] = [];
  const api: Pick<TrainingApi, 'start' | 'onEvent' | 'stop'> = {
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async start(graph, config, options) {
      starts.push({ graph, config, options });
      const runId = `run-${starts.length}`;
      const events = script(runId, graph);
      const emit = () => events.forEach((e) => listeners.forEach((l) => l(e)));
      // A stray event of another run must be ignored.
      listeners.forEach((l) => l({ type: 'warning', runId: 'other', message: 'not mine' }));
      if (starts.length === 1) emit();
      else setTimeout(emit, 1);
      return { runId };
    },
    async stop(runId) {
      stops.push(runId);
    },
  };
  const emit = (e: TrainEvent) => listeners.forEach((l) => l(e));
  return { api, starts, stops, emit };
}

const dataset = {
  name: 'digits',
  classNames: ['0', '1'],
  inputShape: [784],
  trainSize: 8,
  validationSize: 2,
  skipped: 0,
};
function completedRun(runId: string, valAccuracy: number): TrainEvent[] {
  return [
    {
      type: 'started',
      runId,
      backend: 'cpu',
      dataset,
      epochs: 1,
      firstEpoch: 1,
      batchesPerEpoch: 2,
      trainableParams: 10,
      runDir: 'runs/x',
    },
    {
      type: 'batch',
      runId,
      epoch: 1,
      batch: 1,
      batches: 2,
      loss: 2,
      accuracy: 0.1,
      samplesPerSecond: 10,
      etaSeconds: 1,
      lr: 0.001,
    },
    {
      type: 'batch',
      runId,
      epoch: 1,
      batch: 2,
      batches: 2,
      loss: 1,
      accuracy: 0.5,
      samplesPerSecond: 10,
      etaSeconds: 0,
      lr: 0.001,
    },
    {
      type: 'epoch',
      runId,
      epoch: 1,
      epochs: 1,
      trainLoss: 1.5,
      trainAccuracy: 0.3,
      valLoss: 1.4,
      valAccuracy,
      seconds: 1,
      samplesPerSecond: 10,
      lr: 0.001,
      gradientNorms: { fc1: 0.01 },
    },
    {
      type: 'evaluation',
      runId,
      epoch: 1,
      accuracy: valAccuracy,
      classNames: ['0', '1'],
      confusion: [
        [1, 0],
        [0, 1],
      ],
      perClass: [],
    },
    {
      type: 'finished',
      runId,
      reason: 'completed',
      runDir: 'runs/x',
      bestValAccuracy: valAccuracy,
      bestEpoch: 1,
      epochsCompleted: 1,
    },
  ];
}

const good = (act: string) => chain([784], ['fc1', 'Linear', { out_features: 10 }], ['act', act]);
const broken = chain([1, 28, 28], ['fc1', 'Linear', { out_features: 10 }]);

describe('Train all', () => {
  it('trains the variants as one group with one config, keeps each result, skips a broken graph', async () => {
    const store = createCompareStore();
    store.getState().startFrom(good('ReLU'), 'ReLU');
    store.getState().addVariant(broken, 'Broken');
    store.getState().addVariant(good('Sigmoid'), 'Sigmoid');
    store.getState().setTraining({ weightDecay: 0.001, seed: 7 });
    const { api, starts } = scriptedEngine((runId) =>
      completedRun(runId, runId === 'run-1' ? 0.9 : 0.6),
    );
    await store.getState().trainAll(api);

    expect(starts).toHaveLength(2);
    expect(starts[0]?.config).toEqual(starts[1]?.config);
    // One group for the host to schedule: the two trainable variants, side by side if it can.
    expect(starts[0]?.options?.group).toEqual({
      id: expect.stringMatching(/^train-all-/),
      size: 2,
    });
    expect(starts[1]?.options).toEqual(starts[0]?.options);
    expect(starts[0]?.config).toMatchObject({
      seed: 7,
      optimizer: { name: 'adam', weightDecay: 0.001 },
      dataset: { kind: 'digits' },
    });
    const s = store.getState();
    expect(s.training).toBe(false);
    expect(s.runs?.map((r) => r.status)).toEqual(['completed', 'skipped', 'completed']);
    const [relu, bad, sigmoid] = s.doc.variants;
    expect(relu?.result?.epochs.map((e) => e.valAccuracy)).toEqual([0.9]);
    expect(relu?.result?.trainSteps).toEqual([
      { epoch: 0.5, loss: 2, accuracy: 0.1 },
      { epoch: 1, loss: 1, accuracy: 0.5 },
    ]);
    expect(relu?.result?.evaluation?.accuracy).toBe(0.9);
    expect(sigmoid?.result?.epochs.map((e) => e.valAccuracy)).toEqual([0.6]);
    expect(bad?.result).toMatchObject({
      outcome: 'error',
      message: expect.stringMatching(
        /^Not trained: the graph has errors\. Linear "fc1" expects a flat input/,
      ),
    });
    expect(s.dirty).toBe(true);
  });

  it('Stop ends every run of the group, the training one and the one waiting its turn', async () => {
    const store = createCompareStore();
    store.getState().startFrom(good('ReLU'), 'A');
    store.getState().addVariant(good('Tanh'), 'B');
    // The first trains; the host makes the second wait (its one warning before a start).
    const engine = scriptedEngine((runId) =>
      runId === 'run-1'
        ? completedRun(runId, 0.5).slice(0, 2)
        : [{ type: 'warning', runId, message: 'Waiting: run run-1 is training …' }],
    );
    const done = store.getState().trainAll(engine.api);
    await new Promise((r) => setTimeout(r, 5));
    expect(store.getState().activeRunIds).toEqual(['run-1', 'run-2']);
    expect(store.getState().runs?.map((r) => r.status)).toEqual(['running', 'waiting']);
    await store.getState().stop(engine.api);
    expect(engine.stops).toEqual(['run-1', 'run-2']);
    // The engine answers a stop with `finished`, reason `stopped` (0 epochs for the waiting one).
    for (const runId of ['run-1', 'run-2'])
      engine.emit({
        type: 'finished',
        runId,
        reason: 'stopped',
        runDir: 'r',
        bestValAccuracy: null,
        bestEpoch: null,
        epochsCompleted: 0,
      });
    await done;
    expect(engine.starts).toHaveLength(2);
    expect(store.getState().runs?.map((r) => r.status)).toEqual(['stopped', 'stopped']);
    expect(store.getState().doc.variants[0]?.result).toMatchObject({
      outcome: 'stopped',
      trainSteps: [{ epoch: 0.5, loss: 2 }],
    });
    expect(store.getState().doc.variants[1]?.result).toMatchObject({ outcome: 'stopped' });
    expect(store.getState().training).toBe(false);
  });

  it('Stop pressed before the engine named the run still stops it once it is named', async () => {
    const store = createCompareStore();
    store.getState().startFrom(good('ReLU'), 'A');
    store.getState().addVariant(good('Tanh'), 'B');
    const engine = scriptedEngine((runId) => completedRun(runId, 0.5).slice(0, 1));
    const answers: ((value: { runId: string }) => void)[] = [];
    const slow = {
      ...engine.api,
      start: () => new Promise<{ runId: string }>((resolve) => answers.push(resolve)),
    };
    const done = store.getState().trainAll(slow);
    await store.getState().stop(slow);
    expect(engine.stops).toEqual([]);
    answers[0]?.({ runId: 'run-1' });
    answers[1]?.({ runId: 'run-2' });
    await new Promise((r) => setTimeout(r, 1));
    expect(engine.stops).toEqual(['run-1', 'run-2']);
    for (const runId of ['run-1', 'run-2'])
      engine.emit({
        type: 'finished',
        runId,
        reason: 'stopped',
        runDir: 'r',
        bestValAccuracy: null,
        bestEpoch: null,
        epochsCompleted: 0,
      });
    await done;
    expect(store.getState().runs?.map((r) => r.status)).toEqual(['stopped', 'stopped']);
  });

  it('a refused start becomes that variant’s error, and the next variant still trains', async () => {
    const store = createCompareStore();
    store.getState().startFrom(good('ReLU'), 'A');
    store.getState().addVariant(good('Tanh'), 'B');
    let calls = 0;
    const { api } = scriptedEngine((runId) => completedRun(runId, 0.7));
    const refusing = {
      ...api,
      start: (graph: GraphDocument, config: TrainConfigInput) =>
        ++calls === 1
          ? Promise.reject(new Error('params.config.epochs: too big'))
          : api.start(graph, config),
    };
    await store.getState().trainAll(refusing);
    expect(store.getState().runs?.map((r) => r.status)).toEqual(['error', 'completed']);
    expect(store.getState().doc.variants[0]?.result?.message).toBe('params.config.epochs: too big');
  });
});

describe('the comparison store', () => {
  it('keeps variant names apart, renames, removes', () => {
    const store = createCompareStore();
    store.getState().startFrom(good('ReLU'), 'Net');
    store.getState().addVariant(good('ReLU'), 'Net');
    store.getState().addVariant(good('ReLU'), 'Net');
    expect(store.getState().doc.variants.map((v) => v.name)).toEqual(['Net', 'Net (2)', 'Net (3)']);
    store.getState().renameVariant(2, 'Net (2)');
    expect(store.getState().doc.variants[2]?.name).toBe('Net (2) (2)');
    store.getState().renameVariant(2, ' Wide ');
    store.getState().removeVariant(0);
    expect(store.getState().doc.variants.map((v) => v.name)).toEqual(['Net (2)', 'Wide']);
  });

  it('refuses out-of-range settings with the field named, and clears stale results on a change', () => {
    const store = createCompareStore();
    store.getState().load(
      {
        format: 'nnb-compare',
        version: 1,
        title: 't',
        description: '',
        training: DEFAULT_TRAINING,
        variants: [
          {
            name: 'A',
            graph: good('ReLU'),
            result: { outcome: 'completed', epochs: [], trainSteps: [], evaluation: null },
          },
        ],
      },
      { name: 't.nnb-compare.json', path: null },
    );
    expect(store.getState().setTraining({ epochs: 0 })).toBe(
      'training.epochs must be an integer 1–1000, got 0',
    );
    expect(store.getState().doc.variants[0]?.result).toBeDefined();
    expect(store.getState().setTraining({ epochs: 4 })).toBeNull();
    expect(store.getState().doc.training.epochs).toBe(4);
    expect(store.getState().doc.variants[0]?.result).toBeUndefined();
  });
});
