import tf from '../tfjs.cjs';
import type { ActivationsResult } from '../../api/inspect.js';
import type { ImageInput } from '../../api/training.js';
import type { GraphAnalysis } from '../../core/analysis/analyze.js';
import { toTorchOrder } from '../model/layout.js';
import { encodeFloats } from './encode.js';
import { inputBatch, type InspectModel } from './inspectModel.js';

/** More values than this (64 MB of float32) are refused rather than sent to a page. */
const MAX_VALUES = 16 * 1024 * 1024;

/** The primitive whose value node `id` has: itself, or for a block its inner output node. */
export function computedNode(analysis: GraphAnalysis, id: string): { id: string; type: string } {
  let node = analysis.nodes.get(id);
  if (node === undefined) {
    const known = analysis.layers.map((l) => `"${l.id}"`);
    throw new Error(
      `The graph has no node "${id}" (nodes: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}).`,
    );
  }
  for (let depth = 0; node.outputNode !== node.id && depth < 32; depth++) {
    const inner = analysis.nodes.get(node.outputNode);
    if (inner === undefined) break;
    node = inner;
  }
  return { id: node.id, type: node.type };
}

/** Node `id`'s output for one image, in PyTorch's order without the batch axis (C×H×W or [F]). */
export function nodeActivation(m: InspectModel, id: string, image: ImageInput): ActivationsResult {
  const target = computedNode(m.analysis, id);
  const x = inputBatch(m, image);
  const held: tf.Tensor[] = [x];
  try {
    const [value] = m.model.outputsOf(x, [target.id]);
    if (value) held.push(value);
    const torch = tf.tidy(() => toTorchOrder(value as tf.Tensor));
    held.push(torch);
    const shape = torch.shape.slice(1);
    const size = shape.reduce((a, b) => a * b, 1);
    if (size > MAX_VALUES) {
      throw new Error(
        `"${id}" outputs ${size.toLocaleString('en')} values for one image; feature maps are shown up to ${MAX_VALUES.toLocaleString('en')}.`,
      );
    }
    const data = torch.dataSync() as Float32Array;
    return {
      node: id,
      computedNode: target.id,
      type: target.type,
      weights: m.weights,
      epoch: m.epoch,
      activation: encodeFloats(data, shape),
    };
  } finally {
    // Also when the forward pass itself throws: the input never outlives the request.
    tf.dispose(held);
  }
}
