import type { ParamValue } from './graph/document.js';

export type Severity = 'error' | 'warning';

/** Stable machine-readable identifiers of every problem the analysis reports. */
export type DiagnosticCode =
  | 'duplicate-id'
  | 'unknown-node'
  | 'self-loop'
  | 'duplicate-port'
  | 'cycle'
  | 'no-input-node'
  | 'missing-input'
  | 'too-many-inputs'
  | 'disconnected'
  | 'unknown-type'
  | 'unknown-param'
  | 'invalid-param'
  | 'missing-param'
  | 'wrong-rank'
  | 'needs-flatten'
  | 'shape-mismatch'
  | 'kernel-too-large'
  | 'non-positive-output'
  | 'same-padding-stride'
  | 'invalid-groups'
  | 'invalid-value'
  /** A count beyond 2^53 − 1, where float64 arithmetic stops being exact. */
  | 'too-large';

/** A one-click repair the editor can apply; `description` is what the button says. */
export type Fix =
  | {
      readonly kind: 'set-param';
      readonly description: string;
      readonly node: string;
      readonly param: string;
      readonly value: ParamValue;
    }
  | {
      /** Insert a new node on the edge source → target (at `targetPort`). */
      readonly kind: 'insert-node';
      readonly description: string;
      readonly source: string;
      readonly target: string;
      readonly targetPort: number;
      readonly nodeType: string;
      readonly params: Readonly<Record<string, ParamValue>>;
    }
  | {
      readonly kind: 'remove-edge';
      readonly description: string;
      readonly source: string;
      readonly target: string;
    };

/** A problem found in a graph, returned as a value — the analysis never throws at the UI. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  /** The node the problem is about (inner nodes of blocks as `block/inner`). */
  readonly node?: string;
  /** Names the node, the values seen and what to do. */
  readonly message: string;
  readonly fix?: Fix;
}

export const isError = (d: Diagnostic): boolean => d.severity === 'error';
