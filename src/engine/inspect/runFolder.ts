import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TrainConfigSchema, type TrainConfig } from '../../api/training.js';
import { RunIdSchema } from '../../api/inspect.js';
import { confinePath } from '../runs/confinePath.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { readGraphDocument } from '../../core/graph/parseGraph.js';
import { latestConfigFile } from '../train/runFiles.js';

/** The real folder of run `runId` under `runsDir` (a link out of it is refused); the message
 * says what is missing. */
export function runFolder(runsDir: string, runId: string): string {
  // Validated at the boundary too; checked again because this builds a path.
  if (!RunIdSchema.safeParse(runId).success) throw new Error(`"${runId}" is not a run id.`);
  const dir = join(runsDir, runId);
  if (!existsSync(dir)) {
    throw new Error(`There is no run "${runId}" in ${runsDir}. Train the network first.`);
  }
  return confinePath(runId, [runsDir], { what: 'The run', allowRoot: false });
}

/** The checkpoint folder to read: `best/` (or `last/` when asked or when best is absent). */
export function checkpointFolder(dir: string, which: 'best' | 'last'): string {
  for (const sub of which === 'best' ? ['best', 'last'] : ['last']) {
    if (existsSync(join(dir, sub, 'model.json'))) return join(dir, sub);
  }
  throw new Error(
    'The run has no trained weights yet (no checkpoint): wait until its first epoch ends.',
  );
}

/** Modification time of a file, to notice a new checkpoint or new predictions (0 when absent). */
export function modifiedAt(path: string): number {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

/** The run's config, defaults filled in, as its latest session trained (config.json, or the
 * last config-resume-N.json of a resumed run). */
export function readRunConfig(dir: string): TrainConfig {
  const path = latestConfigFile(dir);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} cannot be read (${(error as Error).message}).`, { cause: error });
  }
  const parsed = TrainConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${path} is not a training config: ${parsed.error.message}`);
  return parsed.data;
}

/** The graph the run trained (graph.nnb.json). */
export function readRunGraph(dir: string): GraphDocument {
  const path = join(dir, 'graph.nnb.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} cannot be read (${(error as Error).message}).`, { cause: error });
  }
  const outcome = readGraphDocument(raw);
  if (!outcome.ok) throw new Error(`${path}: ${outcome.error}`);
  return outcome.graph;
}
