import { formatCount } from '../format/numbers.js';
import type { TraceLine } from './trace.js';

type Topic = TraceLine['topic'];

/** A single trace line. */
export function line(
  topic: Topic,
  label: string,
  expression: string,
  value: number | string,
): TraceLine {
  return {
    topic,
    label,
    expression,
    value: typeof value === 'number' ? formatCount(value) : value,
  };
}

/**
 * Lines for a quantity computed per spatial axis. When both axes read the same, one line
 * labelled `H_out = W_out` says it once.
 */
export function axisLines(
  topic: Topic,
  [labelH, labelW]: readonly [string, string],
  h: { readonly expression: string; readonly value: number },
  w: { readonly expression: string; readonly value: number },
): TraceLine[] {
  if (h.expression === w.expression && h.value === w.value) {
    return [line(topic, `${labelH} = ${labelW}`, h.expression, h.value)];
  }
  return [line(topic, labelH, h.expression, h.value), line(topic, labelW, w.expression, w.value)];
}
