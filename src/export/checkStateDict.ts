import { analyze } from '../core/analysis/analyze.js';
import type { GraphDocument } from '../core/graph/document.js';
import type { StateDict, TensorSpec } from '../core/weights/StateDict.js';
import { layerTensors } from '../core/weights/layerTensors.js';
import type { NodeAnalysis } from '../core/analysis/analyze.js';
import { ExportError } from './ExportError.js';

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/** The problems listed in full before "and N more". */
const SHOWN = 5;

/**
 * Checks that `state` holds exactly the tensors the graph's layers own, each with the shape the
 * analysis gives it (src/core/weights/layerTensors.ts), before anything is written: a run whose
 * model.json and weights.bin disagree must not become a bundle a runtime rejects or, worse, runs.
 * Throws ExportError naming the layer, the tensor, the expected and the actual shape. A graph
 * with errors is left to the exporters, which name its errors.
 */
export function checkStateDict(graph: GraphDocument, state: StateDict): void {
  const analysis = analyze(graph);
  if (analysis.hasErrors) return;
  const expected = new Map<string, { layer: NodeAnalysis; spec: TensorSpec }>();
  for (const layer of analysis.layers) {
    for (const spec of layerTensors(layer))
      expected.set(`${layer.id}.${spec.name}`, { layer, spec });
  }
  const problems: { node: string; text: string }[] = [];
  for (const [key, { layer, spec }] of expected) {
    const where = `${layer.type} "${layer.id}": ${spec.name}`;
    const tensor = state.get(key);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (tensor === undefined) {
      problems.push({ node: layer.id, text: `${where} ${shapeText(spec.shape)} is missing` });
    } else if (shapeText(tensor.shape) !== shapeText(spec.shape)) {
      problems.push({
        node: layer.id,
        text: `${where} is ${shapeText(tensor.shape)} in the weights, but the graph expects ${shapeText(spec.shape)}`,
      });
    } else if (tensor.data.length !== size) {
      problems.push({
        node: layer.id,
        text: `${where} ${shapeText(spec.shape)} holds ${tensor.data.length} values instead of ${size}`,
      });
    }
  }
  for (const [key, tensor] of state) {
    if (!expected.has(key)) {
      problems.push({
        node: key.slice(0, key.lastIndexOf('.')),
        text: `${key} ${shapeText(tensor.shape)} belongs to no layer of the graph`,
      });
    }
  }
  if (problems.length === 0) return;
  const more = problems.length > SHOWN ? `; and ${problems.length - SHOWN} more` : '';
  throw new ExportError(
    `the weights do not match the graph (${problems.length} tensor(s)): ` +
      `${problems
        .slice(0, SHOWN)
        .map((p) => p.text)
        .join('; ')}${more}. ` +
      'The checkpoint was written for another graph or was edited; export another run or checkpoint.',
    problems[0]?.node,
  );
}
