import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseTrainConfig,
  type TrainConfig,
  type TrainConfigInput,
  type TrainEvent,
} from '../../src/api/training.js';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { RunControl } from '../../src/engine/train/RunControl.js';
import { runTraining } from '../../src/engine/train/runTraining.js';

export const TEMPLATES = join(import.meta.dirname, '..', '..', 'templates');

export function template(name: string): GraphDocument {
  return JSON.parse(readFileSync(join(TEMPLATES, `${name}.nnb.json`), 'utf8')) as GraphDocument;
}

export function tempDir(prefix = 'nnb-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A small, fast config: a few hundred digits on the CPU backend, written to a temp folder. */
export function smallConfig(overrides: TrainConfigInput = {}): TrainConfig {
  const parsed = parseTrainConfig({
    backend: 'cpu',
    epochs: 2,
    batchSize: 32,
    maxTrainSamples: 192,
    maxValidationSamples: 100,
    outDir: tempDir(),
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.config;
}

/** Trains in this thread and returns every event (what the worker would post). */
export async function train(
  graph: GraphDocument,
  config: TrainConfig,
  onEvent: (event: TrainEvent, control: RunControl) => void = () => {},
): Promise<TrainEvent[]> {
  const events: TrainEvent[] = [];
  const control = new RunControl();
  await runTraining({
    runId: 'test-run',
    graph,
    config,
    control,
    emit: (event) => {
      events.push(event);
      onEvent(event, control);
    },
  });
  return events;
}

export function ofType<T extends TrainEvent['type']>(
  events: readonly TrainEvent[],
  type: T,
): Extract<TrainEvent, { type: T }>[] {
  return events.filter((e): e is Extract<TrainEvent, { type: T }> => e.type === type);
}
