import type { GraphAnalysis } from '../analysis/analyze.js';
import type { ReceptiveField } from '../analysis/receptiveField.js';
import { formatCount } from '../format/numbers.js';
import type { TraceLine } from '../graph/trace.js';
import { formatShape } from '../shape.js';
import { explanationOf } from './explanations.js';

/** The three quantities the Explain section derives, in the order it shows them. */
export type ExplainTopic = 'shape' | 'params' | 'rf';

export interface ExplainedQuantity {
  readonly topic: ExplainTopic;
  readonly title: string;
  /** The general formula, as the catalog writes it. */
  readonly formula: string;
  /** The node's own formula lines with its numbers plugged in: the analysis' trace, reused. */
  readonly lines: readonly TraceLine[];
  /** The node's number itself, from the analysis: `6×28×28`, `156`, `5`, or why there is none. */
  readonly result: string;
}

export interface NodeExplanation {
  readonly id: string;
  readonly type: string;
  readonly what: string;
  readonly why: string;
  readonly quantities: readonly ExplainedQuantity[];
}

const TITLES: Readonly<Record<ExplainTopic, string>> = {
  shape: 'Output size',
  params: 'Parameters',
  rf: 'Receptive field',
};

/**
 * The explanation of node `id` with its own numbers: the type's plain text and general formulas
 * beside the analysis' trace lines and results for this node. Null for an unknown node or type.
 */
export function explainNode(analysis: GraphAnalysis, id: string): NodeExplanation | null {
  const node = analysis.nodes.get(id);
  const text = node === undefined ? undefined : explanationOf(node.type);
  if (node === undefined || text === undefined) return null;
  const known = node.outputShape !== null;
  const results: Readonly<Record<ExplainTopic, string>> = {
    shape: known && node.outputShape ? formatShape(node.outputShape) : '? (see the problems)',
    params: known ? paramsResult(node.params, node.trainableParams) : '?',
    rf: known ? fieldResult(node.receptiveField) : '?',
  };
  return {
    id,
    type: node.type,
    what: text.what,
    why: text.why,
    quantities: (['shape', 'params', 'rf'] as const).map((topic) => ({
      topic,
      title: TITLES[topic],
      formula: text.formulas[topic],
      lines: node.trace.filter((l) => l.topic === topic),
      result: results[topic],
    })),
  };
}

function paramsResult(params: number, trainable: number): string {
  const total = formatCount(params);
  return trainable === params ? total : `${total} (${formatCount(trainable)} trainable)`;
}

/** `14`, `14×10`, or `none` for a flat output, with jump and start when they say something. */
function fieldResult(f: ReceptiveField | null): string {
  if (f === null) return 'none (not a feature map)';
  const pair = (p: readonly [number, number]) =>
    p[0] === p[1] ? formatCount(p[0]) : `${formatCount(p[0])}×${formatCount(p[1])}`;
  return `${pair(f.size)} px, jump ${pair(f.jump)}, start ${pair(f.start)}`;
}
