import type { TraceLine } from '../graph/trace.js';
import { axisLines, line } from '../graph/traceLines.js';
import { formatCount } from '../format/numbers.js';
import { effectiveKernel, num } from '../math/convArithmetic.js';
import type { RfRule } from '../layers/LayerDefinition.js';
import type { Pair } from '../shape.js';

/**
 * Receptive field of one output unit, per axis [height, width], in input pixels
 * (Araujo, Norris & Sim, "Computing Receptive Fields of Convolutional Neural Networks", Distill 2019).
 */
export interface ReceptiveField {
  /** How many input pixels one output unit sees. */
  readonly size: Pair;
  /** Effective stride: input pixels between neighbouring output units. */
  readonly jump: Pair;
  /** Centre of output unit 0's field, 0-indexed input pixels (negative: inside the padding). */
  readonly start: Pair;
}

/** The field of an Input's own pixels: each sees itself. */
export const UNIT_FIELD: ReceptiveField = { size: [1, 1], jump: [1, 1], start: [0, 0] };

export interface FieldOutcome {
  readonly field: ReceptiveField | null;
  readonly trace: readonly TraceLine[];
}

/** Applies one layer's rule to the fields of its inputs. */
export function propagateField(
  rule: RfRule,
  inputs: readonly (ReceptiveField | null)[],
): FieldOutcome {
  const first = inputs[0] ?? null;
  switch (rule.kind) {
    case 'flat':
      return { field: null, trace: [] };
    case 'identity':
      return first === null
        ? { field: null, trace: [] }
        : { field: first, trace: [line('rf', 'RF', '', `${sizeText(first.size)} (as its input)`)] };
    case 'merge':
      return mergeFields(inputs);
    case 'window':
      return first === null ? { field: null, trace: [] } : windowField(rule, first);
    case 'upsample':
      return first === null ? { field: null, trace: [] } : upsampleField(rule, first);
  }
}

function windowField(rule: Extract<RfRule, { kind: 'window' }>, f: ReceptiveField): FieldOutcome {
  const axis = (i: 0 | 1) => {
    const k = rule.kernel[i];
    const d = rule.dilation[i];
    const s = rule.stride[i];
    const p = rule.padding[i];
    const r = f.size[i];
    const j = f.jump[i];
    const keff = effectiveKernel(k, d);
    const grow = d === 1 ? `(${k}−1)` : `${d}·(${k}−1)`;
    return {
      size: {
        value: r + (keff - 1) * j,
        expression: `${formatCount(r)} + ${grow}·${formatCount(j)}`,
      },
      jump: { value: j * s, expression: `${formatCount(j)}·${s}` },
      start: {
        value: f.start[i] + ((keff - 1) / 2 - p) * j,
        expression: `${num(f.start[i])} + ((${keff}−1)/2 − ${p})·${formatCount(j)}`,
      },
    };
  };
  const h = axis(0);
  const w = axis(1);
  const field: ReceptiveField = {
    size: [h.size.value, w.size.value],
    jump: [h.jump.value, w.jump.value],
    start: [h.start.value, w.start.value],
  };
  const trace = [...axisLines('rf', ['RF_h', 'RF_w'], h.size, w.size)];
  if (h.jump.value !== f.jump[0] || w.jump.value !== f.jump[1]) {
    trace.push(...axisLines('rf', ['jump_h', 'jump_w'], h.jump, w.jump));
  }
  if (h.start.value !== f.start[0] || w.start.value !== f.start[1]) {
    trace.push(...axisLines('rf', ['start_h', 'start_w'], h.start, w.start));
  }
  return { field, trace: renameSquare(trace) };
}

function upsampleField(
  rule: Extract<RfRule, { kind: 'upsample' }>,
  f: ReceptiveField,
): FieldOutcome {
  const offset = rule.offset ?? [0, 0];
  const axis = (i: 0 | 1) => ({
    size: {
      value: f.size[i] + rule.extent[i] * f.jump[i],
      expression: `${formatCount(f.size[i])} + ${formatCount(rule.extent[i])}·${formatCount(f.jump[i])}`,
    },
    jump: {
      value: f.jump[i] / rule.factor[i],
      expression: `${formatCount(f.jump[i])}/${formatCount(rule.factor[i])}`,
    },
    start: {
      value: f.start[i] + offset[i] * f.jump[i],
      expression: `${num(f.start[i])} + ${num(offset[i])}·${formatCount(f.jump[i])}`,
    },
  });
  const h = axis(0);
  const w = axis(1);
  const trace = [
    ...axisLines('rf', ['RF_h', 'RF_w'], h.size, w.size),
    ...axisLines('rf', ['jump_h', 'jump_w'], h.jump, w.jump),
  ];
  if (offset[0] !== 0 || offset[1] !== 0)
    trace.push(...axisLines('rf', ['start_h', 'start_w'], h.start, w.start));
  return {
    field: {
      size: [h.size.value, w.size.value],
      jump: [h.jump.value, w.jump.value],
      start: [h.start.value, w.start.value],
    },
    trace: renameSquare(trace),
  };
}

/** Where paths merge, a unit sees the union of what its inputs see: the largest field. */
function mergeFields(inputs: readonly (ReceptiveField | null)[]): FieldOutcome {
  const fields = inputs.filter((f): f is ReceptiveField => f !== null);
  if (fields.length === 0) return { field: null, trace: [] };
  const pick = (i: 0 | 1): ReceptiveField =>
    fields.reduce((best, f) => (f.size[i] > best.size[i] ? f : best));
  const h = pick(0);
  const w = pick(1);
  const field: ReceptiveField = {
    size: [h.size[0], w.size[1]],
    jump: [Math.max(...fields.map((f) => f.jump[0])), Math.max(...fields.map((f) => f.jump[1]))],
    start: [h.start[0], w.start[1]],
  };
  const list = (i: 0 | 1) => ({
    value: field.size[i],
    expression: `max(${fields.map((f) => formatCount(f.size[i])).join(', ')})`,
  });
  return { field, trace: renameSquare(axisLines('rf', ['RF_h', 'RF_w'], list(0), list(1))) };
}

/** `RF_h = RF_w` reads as plain `RF` for square fields, as the published tables write it. */
function renameSquare(trace: TraceLine[]): TraceLine[] {
  return trace.map((t) =>
    t.label.includes(' = ') ? { ...t, label: t.label.split('_')[0] ?? t.label } : t,
  );
}

function sizeText(size: Pair): string {
  return size[0] === size[1]
    ? formatCount(size[0])
    : `${formatCount(size[0])}×${formatCount(size[1])}`;
}
