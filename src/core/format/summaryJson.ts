import type { GraphAnalysis, NodeAnalysis } from '../analysis/analyze.js';
import type { ReceptiveField } from '../analysis/receptiveField.js';
import type { Severity } from '../diagnostics.js';
import type { Shape } from '../shape.js';

/** The `nnb summary --json` document (snake_case, as documented in docs/cli.md). */
export interface SummaryJson {
  readonly name: string;
  readonly layers: readonly LayerJson[];
  readonly totals: {
    readonly params: number;
    readonly trainable_params: number;
    readonly non_trainable_params: number;
    readonly buffers: number;
    readonly macs: number;
    readonly activation_bytes: number;
    readonly param_bytes: number;
    readonly input_bytes: number;
  };
  readonly diagnostics: readonly {
    severity: Severity;
    code: string;
    node: string | null;
    message: string;
  }[];
}

export interface LayerJson {
  readonly id: string;
  readonly type: string;
  readonly block: string | null;
  readonly input_shapes: readonly Shape[];
  readonly output_shape: Shape | null;
  readonly params: number;
  readonly trainable_params: number;
  readonly buffers: number;
  readonly macs: number;
  readonly receptive_field: ReceptiveField | null;
}

/** Builds the machine-readable summary: every primitive layer (blocks expanded) and totals. */
export function summaryJson(name: string, analysis: GraphAnalysis): SummaryJson {
  const t = analysis.totals;
  return {
    name,
    layers: analysis.layers.map(layerJson),
    totals: {
      params: t.params,
      trainable_params: t.trainableParams,
      non_trainable_params: t.nonTrainableParams,
      buffers: t.buffers,
      macs: t.macs,
      activation_bytes: t.activationBytes,
      param_bytes: t.paramBytes,
      input_bytes: t.inputBytes,
    },
    diagnostics: analysis.diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      node: d.node ?? null,
      message: d.message,
    })),
  };
}

function layerJson(n: NodeAnalysis): LayerJson {
  return {
    id: n.id,
    type: n.type,
    block: n.parent,
    input_shapes: n.inputShapes,
    output_shape: n.outputShape,
    params: n.params,
    trainable_params: n.trainableParams,
    buffers: n.buffers,
    macs: n.macs,
    receptive_field: n.receptiveField,
  };
}
