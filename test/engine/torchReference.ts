import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import type { GraphDocument } from '../../src/core/graph/document.js';

/** Debian's python has torch; the pyenv one on PATH does not. */
const PYTHON = '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, 'torch_forward.py');

/** Why the PyTorch comparisons cannot run here, or null when they can. */
export function torchUnavailable(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
  if (probe.status === 0) return null;
  const why = (probe.stderr || probe.error?.message || '').trim().split('\n').at(-1);
  const reason = `${PYTHON} with torch and torchvision is not available (${why}; apt-get install python3-torch python3-torchvision)`;
  if (process.env.NNB_REQUIRE_TORCH === '1') {
    throw new Error(`NNB_REQUIRE_TORCH=1 but ${reason}`);
  }
  return reason;
}

export interface TorchCase {
  readonly graph: GraphDocument;
  /** By our weight key, or 'formula': both sides compute them (modelHelpers.formulaWeights). */
  readonly weights: Record<string, { shape: number[]; data: number[] }> | 'formula';
  /** NCHW (or N×F) input. */
  readonly input: { shape: number[]; data: number[] };
  readonly train?: boolean;
  /** Training steps with CrossEntropyLoss on these labels and this (parsed) optimizer config. */
  readonly steps?: number;
  readonly labels?: number[];
  readonly optimizer?: unknown;
}

export interface TorchStepsResult {
  /** Loss and gradients of the first step, then the weights after the last, by our keys. */
  readonly loss: number;
  readonly grads: Record<string, number[]>;
  readonly weights: Record<string, number[]>;
}

export interface TorchResult {
  readonly shape: number[];
  readonly data: number[];
  /** BatchNorm running statistics after the pass, by our weight key. */
  readonly stats: Record<string, number[]>;
}

/** Runs every case through real PyTorch in one python process. */
export function runTorch<R = TorchResult>(cases: readonly TorchCase[]): R[] {
  return runPythonCases<R>(SCRIPT, cases);
}

/** Sends `cases` as JSON to a python `script`'s stdin and parses the JSON list it prints. */
export function runPythonCases<R>(script: string, cases: readonly unknown[]): R[] {
  const result = spawnSync(PYTHON, [script], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0) throw new Error(`${basename(script)} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as R[];
}
