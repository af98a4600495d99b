/**
 * One line of a formula trace: `label = expression = value`, with the numbers plugged in,
 * e.g. `H_out = ⌊(28 + 2·2 − 1·(5−1) − 1)/1⌋ + 1 = 28`.
 */
export interface TraceLine {
  readonly label: string;
  readonly expression: string;
  readonly value: string;
  /** What the line computes, for grouping in the inspector. */
  readonly topic: 'shape' | 'params' | 'macs' | 'rf';
}

/** Renders a trace line as text; the expression is omitted when it adds nothing. */
export function formatTraceLine(line: TraceLine): string {
  return line.expression === '' || line.expression === line.value
    ? `${line.label} = ${line.value}`
    : `${line.label} = ${line.expression} = ${line.value}`;
}
