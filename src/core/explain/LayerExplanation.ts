/**
 * A layer type explained for a learner: what it does and why one uses it, in plain words, and
 * its formulas in general form. The Explain section prints these next to the selected node's own
 * numbers (the analysis' trace lines), so the general formula and the plugged-in one sit together.
 */
export interface LayerExplanation {
  /** What the layer computes, in one or two plain sentences. */
  readonly what: string;
  /** Why a network uses it: the problem it solves or where it usually goes. */
  readonly why: string;
  /** The general formulas, in the notation of the trace lines (H, W, C, k, s, p, d, j, r). */
  readonly formulas: {
    readonly shape: string;
    readonly params: string;
    readonly rf: string;
  };
}

/** The receptive-field rule every elementwise layer shares. */
export const SAME_FIELD = 'r_out = r_in, j_out = j_in: each output sees what its input sees';
/** …and the parameter count of every layer without weights. */
export const NO_PARAMS = '0: nothing is learned';
/** …and the shape rule of layers that keep the shape. */
export const SAME_SHAPE = 'output shape = input shape';
