import type * as tf from '@tensorflow/tfjs';
import type { ImageInput } from '../../api/training.js';
import type { GraphAnalysis } from '../../core/analysis/analyze.js';
import type { GraphDocument } from '../../core/graph/document.js';
import { formatShape } from '../../core/shape.js';
import { toSample } from '../data/decodeImage.js';
import { makeBatch } from '../data/makeBatch.js';
import { CompiledModel } from '../model/CompiledModel.js';
import { planGraph } from '../model/compilePlan.js';
import { batchTensors } from '../train/batchTensors.js';
import { loadCheckpoint, restoreWeights } from '../train/checkpoint.js';

/** A model to look inside, with how its input images are shaped and normalized. */
export interface InspectModel {
  readonly model: CompiledModel;
  readonly analysis: GraphAnalysis;
  /** C×H×W of an input image (the graph's Input may be its flat form). */
  readonly dataShape: readonly [number, number, number];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly weights: 'trained' | 'untrained';
  /** The checkpoint's epoch; null for an untrained graph. */
  readonly epoch: number | null;
}

/** A trained checkpoint folder (best/ or last/) compiled with its weights. */
export function loadTrainedModel(folder: string): InspectModel {
  const checkpoint = loadCheckpoint(folder);
  const model = CompiledModel.compile(checkpoint.graph);
  try {
    restoreWeights(model, checkpoint);
  } catch (error) {
    model.dispose();
    throw error;
  }
  const { meta } = checkpoint;
  return {
    model,
    analysis: planGraph(checkpoint.graph).analysis,
    dataShape: meta.dataShape as [number, number, number],
    mean: meta.mean,
    std: meta.std,
    weights: 'trained',
    epoch: meta.epoch,
  };
}

/**
 * The editor's graph with the weights training would start from (same seed, same init). Inputs
 * are normalized with `stats` for 1-channel images (the built-in digits'), else scaled to [0, 1].
 */
export function untrainedModel(
  graph: GraphDocument,
  seed: number,
  stats: () => { mean: readonly number[]; std: readonly number[] },
): InspectModel {
  const plan = planGraph(graph);
  const dataShape = imageShape(plan.input.shape);
  const model = CompiledModel.compile(graph, seed);
  const { mean, std } = dataShape[0] === 1 ? stats() : { mean: [0, 0, 0], std: [1, 1, 1] };
  return {
    model,
    analysis: plan.analysis,
    dataShape,
    mean,
    std,
    weights: 'untrained',
    epoch: null,
  };
}

/** The image an Input reads: its C×H×W, or for a flat Input of F features 1×√F×√F / 3×…. */
function imageShape(input: readonly number[]): readonly [number, number, number] {
  if (input.length === 3 && (input[0] === 1 || input[0] === 3))
    return input as [number, number, number];
  const f = input.length === 1 ? (input[0] ?? 0) : 0;
  for (const c of [1, 3]) {
    const side = Math.round(Math.sqrt(f / c));
    if (side > 0 && c * side * side === f) return [c, side, side];
  }
  throw new Error(
    `The graph's Input is ${formatShape(input)}: feature maps need an image Input (C×H×W, or a flat square image).`,
  );
}

/** Any image → the model's normalized input batch of one (resized and converted like training data). */
export function inputBatch(m: InspectModel, image: ImageInput): tf.Tensor {
  const [c, h, w] = m.dataShape;
  const rgba = new Uint8Array(image.width * image.height * 4);
  for (let i = 0; i < image.width * image.height; i++) {
    for (let k = 0; k < 4; k++) {
      const from = Math.min(image.channels === 1 ? 0 : k, image.channels - 1);
      rgba[i * 4 + k] =
        k === 3 && image.channels !== 4 ? 255 : Number(image.data[i * image.channels + from] ?? 0);
    }
  }
  const sample = toSample(
    { width: image.width, height: image.height, data: rgba },
    h,
    w,
    c as 1 | 3,
  );
  const batch = makeBatch({ images: sample, labels: new Uint8Array(1), count: 1 }, [0], {
    shape: [c, h, w],
    mean: m.mean,
    std: m.std,
    flat: m.model.inputShape.length === 1,
  });
  const { x, labels } = batchTensors(batch, m.model.inputShape);
  labels.dispose();
  return x;
}
