import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphDocument } from '../../core/graph/document.js';
import type { CompiledModel } from '../model/CompiledModel.js';
import { exportTorchWeights, importTorchWeights, type TorchTensor } from '../model/torchWeights.js';
import type { StepOptimizer } from './StepOptimizer.js';

/** What prediction needs besides the weights: how the training data was shaped and scaled. */
export interface ModelMeta {
  readonly classNames: readonly string[];
  /** C×H×W of the training images (the graph's Input may be their flat form). */
  readonly dataShape: readonly number[];
  readonly mean: readonly number[];
  readonly std: readonly number[];
  readonly epoch: number;
  readonly valAccuracy: number;
  readonly backend: string;
}

interface ModelJson {
  readonly format: 'nnb-model';
  readonly version: 1;
  readonly graph: GraphDocument;
  readonly weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  readonly nnb: ModelMeta;
  readonly optimizer?: { steps: number; weights: tf.io.WeightsManifestEntry[] };
}

/** Writes a file via a temporary name, so a reader never sees half a checkpoint. */
function writeAtomic(path: string, data: string | Uint8Array): void {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

/**
 * Saves the model as `model.json` + `weights.bin` in TensorFlow.js's weights-manifest format
 * (written with tf.io.encodeWeights: no tfjs-node needed). Weights are in PyTorch's layout and
 * named by state-dict key (`conv1.weight`), so exporters and PyTorch read them directly; the
 * topology is the graph document itself. The optimizer state goes to `optimizer.bin` for resume.
 */
export async function saveCheckpoint(
  dir: string,
  graph: GraphDocument,
  model: CompiledModel,
  meta: ModelMeta,
  optimizer?: StepOptimizer,
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const named: tf.NamedTensorMap = {};
  for (const [key, t] of exportTorchWeights(model)) named[key] = tf.tensor(t.data, t.shape);
  const { data, specs } = await tf.io.encodeWeights(named);
  tf.dispose(Object.values(named));
  writeAtomic(join(dir, 'weights.bin'), new Uint8Array(data));
  let optimizerEntry: ModelJson['optimizer'];
  if (optimizer !== undefined) {
    const state: tf.NamedTensorMap = Object.fromEntries(optimizer.state());
    const encoded = await tf.io.encodeWeights(state);
    tf.dispose(Object.values(state));
    writeAtomic(join(dir, 'optimizer.bin'), new Uint8Array(encoded.data));
    optimizerEntry = { steps: optimizer.steps, weights: encoded.specs };
  }
  const json: ModelJson = {
    format: 'nnb-model',
    version: 1,
    graph,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
    nnb: meta,
    ...(optimizerEntry && { optimizer: optimizerEntry }),
  };
  writeAtomic(join(dir, 'model.json'), `${JSON.stringify(json)}\n`);
}

export interface LoadedCheckpoint {
  readonly graph: GraphDocument;
  readonly meta: ModelMeta;
  readonly weights: Map<string, TorchTensor>;
  readonly optimizer: { steps: number; state: Map<string, tf.Tensor> } | null;
}

function readBin(path: string): ArrayBuffer {
  const bytes = readFileSync(path);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/** Reads a checkpoint folder written by saveCheckpoint; the message names what is missing. */
export function loadCheckpoint(dir: string, withOptimizer = false): LoadedCheckpoint {
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
  } catch (error) {
    throw new Error(`${dir} holds no readable model.json (${(error as Error).message}).`, {
      cause: error,
    });
  }
  if (json.format !== 'nnb-model') {
    throw new Error(
      `${join(dir, 'model.json')} is not an NN Builder model (format "${json.format}").`,
    );
  }
  const manifest = json.weightsManifest[0];
  if (manifest === undefined) throw new Error(`${join(dir, 'model.json')} lists no weights.`);
  const decoded = tf.io.decodeWeights(readBin(join(dir, 'weights.bin')), manifest.weights);
  const weights = new Map<string, TorchTensor>();
  for (const [key, t] of Object.entries(decoded)) {
    weights.set(key, { shape: t.shape.slice(), data: t.dataSync() as Float32Array });
    t.dispose();
  }
  let optimizer: LoadedCheckpoint['optimizer'] = null;
  if (withOptimizer && json.optimizer !== undefined) {
    const state = tf.io.decodeWeights(readBin(join(dir, 'optimizer.bin')), json.optimizer.weights);
    optimizer = { steps: json.optimizer.steps, state: new Map(Object.entries(state)) };
  }
  return { graph: json.graph, meta: json.nnb, weights, optimizer };
}

/** Loads checkpoint weights into a model compiled from the same graph. */
export function restoreWeights(model: CompiledModel, checkpoint: LoadedCheckpoint): void {
  importTorchWeights(model, checkpoint.weights);
}
