import { expect } from 'vitest';
import type { NodeAnalysis } from '../../src/core/analysis/analyze.js';
import type { Diagnostic } from '../../src/core/diagnostics.js';
import type { ParamValue } from '../../src/core/graph/document.js';
import { formatTraceLine } from '../../src/core/graph/trace.js';
import { last } from '../helpers.js';

/** One row of a layer table: Input of `input` → one `type` node, with PyTorch's numbers. */
export interface LayerCase {
  readonly type: string;
  readonly name: string;
  readonly input: readonly number[];
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly shape: readonly number[];
  /** Parameter elements (sum of `p.numel()`), buffers and MACs; 0 when omitted. */
  readonly weights?: number;
  readonly buffers?: number;
  readonly macs?: number;
}

/** Analyzes Input → layer (the layer's id is "layer"). */
export function runLayer(
  input: readonly number[],
  type: string,
  params: Readonly<Record<string, ParamValue>> = {},
): NodeAnalysis {
  return last(input, ['layer', type, { ...params }]);
}

/** Checks a table row against the analysis and returns the node for further checks. */
export function expectCase(c: LayerCase): NodeAnalysis {
  const n = runLayer(c.input, c.type, c.params);
  expect(n.diagnostics).toEqual([]);
  expect(n.outputShape).toEqual(c.shape);
  expect(n.params).toBe(c.weights ?? 0);
  expect(n.buffers).toBe(c.buffers ?? 0);
  expect(n.macs).toBe(c.macs ?? 0);
  return n;
}

/** The node's formula trace as text lines: `H_out = ⌊(28 + 2·2 − 1·(5−1) − 1)/1⌋ + 1 = 28`. */
export const traceOf = (n: NodeAnalysis): string[] => n.trace.map(formatTraceLine);

/** The one diagnostic of Input → layer (fails when there is not exactly one). */
export function problemOf(
  input: readonly number[],
  type: string,
  params: Readonly<Record<string, ParamValue>> = {},
): Diagnostic {
  const n = runLayer(input, type, params);
  expect(n.diagnostics).toHaveLength(1);
  const [d] = n.diagnostics;
  if (d === undefined) throw new Error('no diagnostic');
  return d;
}

/** Receptive field of a node: size, jump and start per axis [h, w]. */
export interface FieldCase {
  readonly size: readonly [number, number];
  readonly jump: readonly [number, number];
  readonly start: readonly [number, number];
}

export function expectField(n: NodeAnalysis, f: FieldCase): void {
  const rf = n.receptiveField;
  expect(rf).not.toBeNull();
  for (const key of ['size', 'jump', 'start'] as const) {
    expect(rf?.[key][0]).toBeCloseTo(f[key][0], 9);
    expect(rf?.[key][1]).toBeCloseTo(f[key][1], 9);
  }
}
