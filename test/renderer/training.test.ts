import { describe, expect, it } from 'vitest';
import { parseTrainConfig, type TrainEvent } from '../../src/api/training';
import { comboOf, actionFor, ACTIONS, keyLabel } from '../../renderer/actions';
import {
  formatEta,
  IDLE_RUN,
  reduceTrainEvent,
  runProgress,
} from '../../renderer/training/trainingState';
import { configFromForm, DEFAULT_FORM } from '../../renderer/training/trainingStore';
import { OwnRuns } from '../../renderer/training/ownRuns';

const started: TrainEvent = {
  type: 'started',
  runId: 'r1',
  backend: 'wasm',
  dataset: {
    name: 'digits',
    classNames: ['0', '1'],
    inputShape: [1, 28, 28],
    trainSize: 8000,
    validationSize: 2000,
    skipped: 0,
  },
  epochs: 2,
  firstEpoch: 1,
  batchesPerEpoch: 125,
  trainableParams: 61706,
  runDir: 'runs/r1',
};
const batch = (epoch: number, b: number): TrainEvent => ({
  type: 'batch',
  runId: 'r1',
  epoch,
  batch: b,
  batches: 125,
  loss: 1,
  accuracy: 0.5,
  samplesPerSecond: 900,
  etaSeconds: 10,
  lr: 0.001,
});

describe('training panel state', () => {
  it('follows a run from its events', () => {
    let s = reduceTrainEvent(IDLE_RUN, started);
    expect(s).toMatchObject({ status: 'running', backend: 'wasm', epochs: 2 });
    s = reduceTrainEvent(s, batch(1, 125));
    expect(runProgress(s)).toBe(0.5);
    s = reduceTrainEvent(s, {
      type: 'epoch',
      runId: 'r1',
      epoch: 1,
      epochs: 2,
      trainLoss: 1,
      trainAccuracy: 0.6,
      valLoss: 0.9,
      valAccuracy: 0.7,
      seconds: 9,
      samplesPerSecond: 900,
      lr: 0.001,
      gradientNorms: {},
    });
    s = reduceTrainEvent(s, batch(2, 125));
    expect(s.batches.map((b) => b.step)).toEqual([125, 250]);
    s = reduceTrainEvent(s, { type: 'paused', runId: 'r1', epoch: 2, batch: 125 });
    expect(s.status).toBe('paused');
    s = reduceTrainEvent(s, {
      type: 'finished',
      runId: 'r1',
      reason: 'completed',
      runDir: 'runs/r1',
      bestValAccuracy: 0.7,
      bestEpoch: 1,
      epochsCompleted: 2,
    });
    expect(s.status).toBe('finished');
    expect(runProgress(s)).toBe(1);
    expect(s.epochPoints).toHaveLength(1);
  });

  it('ignores events of other runs and reports errors', () => {
    const s = reduceTrainEvent(IDLE_RUN, started);
    expect(reduceTrainEvent(s, { ...batch(1, 1), runId: 'other' })).toBe(s);
    expect(
      reduceTrainEvent(s, { type: 'error', runId: 'r1', code: 'nan-loss', message: 'loss is NaN' }),
    ).toMatchObject({ status: 'error', message: 'loss is NaN' });
  });

  it('sends a config the engine accepts', () => {
    expect(parseTrainConfig(configFromForm(DEFAULT_FORM)).ok).toBe(true);
    expect(
      parseTrainConfig(configFromForm({ ...DEFAULT_FORM, dataset: 'idx', path: '/data/mnist' })).ok,
    ).toBe(true);
  });

  it('formats ETAs', () => {
    expect(formatEta(12.4)).toBe('12 s');
    expect(formatEta(65)).toBe('1:05');
    expect(formatEta(null)).toBe('—');
  });
});

describe('keyboard shortcuts', () => {
  const key = (k: Partial<KeyboardEvent>) =>
    comboOf({
      key: '',
      code: '',
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
      altKey: false,
      ...k,
    });
  it('map keys to actions', () => {
    expect(actionFor(key({ key: 'z', ctrlKey: true }))?.id).toBe('undo');
    expect(actionFor(key({ key: 'Z', ctrlKey: true, shiftKey: true }))?.id).toBe('redo');
    expect(actionFor(key({ key: 'z', metaKey: true }))?.id).toBe('undo');
    expect(actionFor(key({ key: '?', shiftKey: true }))?.id).toBe('help');
    expect(actionFor(key({ key: '!', code: 'Digit1', shiftKey: true }))?.id).toBe('fit');
    expect(actionFor(key({ key: 'Delete' }))?.id).toBe('delete');
  });
  it('bind each combination once', () => {
    const combos = ACTIONS.flatMap((a) => a.keys);
    expect(new Set(combos).size).toBe(combos.length);
    expect(keyLabel('Mod+Shift+Z', true)).toBe('⌘⇧Z');
    expect(keyLabel('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
  });
});

describe('OwnRuns: the editor panel follows only the runs it started', () => {
  const event = (runId: string): TrainEvent => ({ type: 'resumed', runId });

  it('holds events of a run that starts before its id is known, then hands them over', () => {
    const own = new OwnRuns();
    own.beginStart();
    expect(own.accept(event('mine'))).toEqual([]);
    expect(own.accept(event('compare-run'))).toEqual([]);
    expect(own.started('mine')).toEqual([event('mine')]);
    expect(own.accept(event('mine'))).toEqual([event('mine')]);
  });

  it('drops other runs once no start is pending, and after a failed start', () => {
    const own = new OwnRuns();
    expect(own.accept(event('compare-run'))).toEqual([]);
    own.beginStart();
    own.accept(event('compare-run'));
    own.failed();
    own.beginStart();
    expect(own.started('mine')).toEqual([]);
    expect(own.accept(event('compare-run'))).toEqual([]);
  });
});
