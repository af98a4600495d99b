// The files of a run folder besides its checkpoints: graph.nnb.json, config.json (+ one
// config-resume-N.json per resume) and metrics.jsonl. Whole files are written temp-then-rename
// with fsync (writeFileAtomic); metrics.jsonl grows by appended lines, and a resume cuts it back
// to the epoch of the checkpoint it continues from, so no epoch is recorded twice.
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { TrainConfig, TrainEvent } from '../../api/training.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { writeFileAtomic } from '../../io/writeFileAtomic.js';

export const METRICS_FILE = 'metrics.jsonl';

/** Appends one event as a line of the run's metrics.jsonl; `durable` flushes it to disk. */
export function appendMetrics(runDir: string, event: TrainEvent, durable = false): void {
  const fd = openSync(join(runDir, METRICS_FILE), 'a');
  try {
    writeSync(fd, `${JSON.stringify(event)}\n`);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Records a failed run's error as the last line of its metrics.jsonl, when the folder has one
 * (a run that failed before its folder was made has nothing to record into). Never throws: the
 * error is being reported anyway, and a second failure here must not hide it.
 */
export function recordRunError(runDir: string, event: TrainEvent & { type: 'error' }): void {
  if (!existsSync(join(runDir, METRICS_FILE))) return;
  try {
    appendMetrics(runDir, event, true);
  } catch {
    // A full or read-only disk: the error event still reaches every listener.
  }
}

/**
 * Writes the graph and config of a run about to train. A new run writes config.json; a resumed
 * one leaves config.json as the run began and adds config-resume-N.json (N = 1, 2, …) with the
 * config it continues with, so every session's settings stay on record.
 */
export function writeRunRecord(
  runDir: string,
  graph: GraphDocument,
  config: TrainConfig,
  resumed: boolean,
): void {
  writeFileAtomic(join(runDir, 'graph.nnb.json'), `${JSON.stringify(graph, null, 2)}\n`);
  const json = `${JSON.stringify(config, null, 2)}\n`;
  const original = join(runDir, 'config.json');
  if (!resumed || !existsSync(original)) writeFileAtomic(original, json);
  if (resumed) writeFileAtomic(join(runDir, `config-resume-${resumeCount(runDir) + 1}.json`), json);
  if (!existsSync(join(runDir, METRICS_FILE))) writeFileAtomic(join(runDir, METRICS_FILE), '');
}

/** The config the run's latest session trained with: its last config-resume-N.json, else
 * config.json (what validation-predictions.bin and the last checkpoint were made with). */
export function latestConfigFile(runDir: string): string {
  const n = resumeCount(runDir);
  return join(runDir, n === 0 ? 'config.json' : `config-resume-${n}.json`);
}

function resumeCount(runDir: string): number {
  let n = 0;
  let names: string[];
  try {
    names = readdirSync(runDir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const match = /^config-resume-(\d+)\.json$/.exec(name);
    if (match) n = Math.max(n, Number(match[1]));
  }
  return n;
}

/**
 * Cuts metrics.jsonl back to what a resume from a checkpoint of `epoch` continues: lines about
 * later epochs (written before a kill stopped their checkpoint) and a line torn by the kill are
 * dropped; earlier lines, including the earlier sessions' started/finished/error, stay.
 * Returns the number of lines dropped.
 */
export function trimMetrics(runDir: string, epoch: number): number {
  const path = join(runDir, METRICS_FILE);
  if (!existsSync(path)) return 0;
  const lines = readFileSync(path, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const kept = lines.filter((line) => {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      return false;
    }
    if (typeof event !== 'object' || event === null) return false;
    // Per-epoch lines (epoch, evaluation) carry `epoch`; started/finished/error do not.
    const at = (event as { epoch?: unknown }).epoch;
    return typeof at !== 'number' || at <= epoch;
  });
  if (kept.length === lines.length) return 0;
  writeFileAtomic(path, kept.map((line) => `${line}\n`).join(''));
  return lines.length - kept.length;
}
