/** A model file that cannot be read (truncated, malformed, inconsistent): `nnb import` exits 2. */
export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFormatError';
  }
}

/** The file is not a readable ONNX model (truncated, not protobuf, inconsistent): `nnb import` exits 2. */
export class OnnxFormatError extends ModelFormatError {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxFormatError';
  }
}

/** One operator (ONNX) or layer class (Keras) the model uses that NN Builder cannot express. */
export interface UnsupportedOperator {
  /** `Resize`, `com.microsoft.FusedConv` outside the default domain, or a Keras class name. */
  readonly op: string;
  readonly count: number;
  /** The first few node names (or output tensor names of unnamed nodes), in file order. */
  readonly nodes: readonly string[];
  /** Why, for the first occurrence: no layer computes it, or one setting has no equivalent. */
  readonly reason: string;
}

/** The model uses operators (or settings) NN Builder cannot express; nothing is imported: exit 1. */
export class UnsupportedModelError extends Error {
  constructor(
    readonly operators: readonly UnsupportedOperator[],
    message = `${operators.reduce((n, o) => n + o.count, 0)} node(s) of ${operators.length} kind(s) cannot be expressed in NN Builder`,
  ) {
    super(message);
    this.name = 'UnsupportedModelError';
  }
}

/** How many node names the table lists per operator. */
export const NODES_LISTED = 3;

/** The table `nnb import` prints for a refused model: operator, count, first nodes, why. */
export function unsupportedTable(operators: readonly UnsupportedOperator[]): string {
  const rows = operators.map((o) => [
    o.op,
    String(o.count),
    o.nodes.join(', ') + (o.count > o.nodes.length ? ', …' : ''),
    o.reason,
  ]);
  const header = ['operator', 'count', 'first nodes', 'why'];
  const widths = header.map((h, i) =>
    Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}
