import tf from '../tfjs.cjs';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphDocument } from '../../core/graph/document.js';
import type { CompiledModel } from '../model/CompiledModel.js';
import { importTorchWeights, torchLayoutTensors, type TorchTensor } from '../model/torchWeights.js';
import {
  findCheckpointFolder,
  writeCheckpointFolder,
  type SwitchStep,
} from './checkpointFolder.js';
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
  /** Size and SHA-256 of each binary file beside model.json, checked on every load: files that
   * do not belong to this model.json are refused. Absent in checkpoints written before it. */
  readonly files?: Readonly<Record<string, FileEntry>>;
}

interface FileEntry {
  readonly bytes: number;
  readonly sha256: string;
}

/** A checkpoint folder that cannot be used as it is: missing, torn or edited files. */
export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

const fileEntry = (data: Uint8Array): FileEntry => ({
  bytes: data.byteLength,
  sha256: createHash('sha256').update(data).digest('hex'),
});

/**
 * Saves the model as `model.json` + `weights.bin` in TensorFlow.js's weights-manifest format
 * (written with tf.io.encodeWeights: no tfjs-node needed). Weights are in PyTorch's layout and
 * named by state-dict key (`conv1.weight`), so exporters and PyTorch read them directly; the
 * topology is the graph document itself. The optimizer state goes to `optimizer.bin` for resume.
 * The folder is replaced as a whole (checkpointFolder.ts): a kill at any moment leaves the old
 * checkpoint or the new one, and model.json records the size and hash of the files it goes with.
 */
export async function saveCheckpoint(
  dir: string,
  graph: GraphDocument,
  model: CompiledModel,
  meta: ModelMeta,
  optimizer?: StepOptimizer,
  afterStep?: (step: SwitchStep) => void,
): Promise<void> {
  // Read asynchronously (encodeWeights awaits each tensor): the webgpu backend has no sync read.
  const named: tf.NamedTensorMap = Object.fromEntries(torchLayoutTensors(model));
  const { data, specs } = await tf.io.encodeWeights(named);
  tf.dispose(Object.values(named));
  const binaries: [string, Uint8Array][] = [['weights.bin', new Uint8Array(data)]];
  let optimizerEntry: ModelJson['optimizer'];
  if (optimizer !== undefined) {
    const state: tf.NamedTensorMap = Object.fromEntries(optimizer.state());
    const encoded = await tf.io.encodeWeights(state);
    tf.dispose(Object.values(state));
    binaries.push(['optimizer.bin', new Uint8Array(encoded.data)]);
    optimizerEntry = { steps: optimizer.steps, weights: encoded.specs };
  }
  const json: ModelJson = {
    format: 'nnb-model',
    version: 1,
    graph,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
    nnb: meta,
    ...(optimizerEntry && { optimizer: optimizerEntry }),
    files: Object.fromEntries(binaries.map(([name, bytes]) => [name, fileEntry(bytes)])),
  };
  writeCheckpointFolder(
    dir,
    [...binaries, ['model.json', `${JSON.stringify(json)}\n`]],
    isCompleteCheckpoint,
    afterStep,
  );
}

export interface LoadedCheckpoint {
  readonly graph: GraphDocument;
  readonly meta: ModelMeta;
  readonly weights: Map<string, TorchTensor>;
  readonly optimizer: { steps: number; state: Map<string, tf.Tensor> } | null;
}

function readBin(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CheckpointError(`${path} cannot be read (${(error as Error).message}).`);
  }
}

const arrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;

/** Bytes tf.io.encodeWeights writes for these specs (float32/int32: 4 per value, bool: 1). */
function specBytes(specs: readonly tf.io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    total += count * (spec.dtype === 'bool' ? 1 : 4);
  }
  return total;
}

function readModelJson(dir: string): ModelJson {
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
  } catch (error) {
    throw new CheckpointError(`${dir} holds no readable model.json (${(error as Error).message}).`);
  }
  if (typeof json !== 'object' || json === null || json.format !== 'nnb-model') {
    throw new CheckpointError(
      `${join(dir, 'model.json')} is not an NN Builder model (format "${String(json?.format)}").`,
    );
  }
  if (!Array.isArray(json.weightsManifest?.[0]?.weights) || typeof json.nnb !== 'object') {
    throw new CheckpointError(
      `${join(dir, 'model.json')} lists no weights or no metadata (nnb): it is not a complete checkpoint.`,
    );
  }
  return json;
}

/** The binary files of a checkpoint, each checked against model.json. */
function readCheckedFiles(
  dir: string,
  json: ModelJson,
): { weights: Uint8Array; optimizer: Uint8Array | null } {
  return {
    weights: readChecked(dir, 'weights.bin', json, json.weightsManifest[0]?.weights ?? []),
    // Checked even when not loaded: a torn folder is refused as a whole.
    optimizer:
      json.optimizer === undefined
        ? null
        : readChecked(dir, 'optimizer.bin', json, json.optimizer.weights),
  };
}

/** Reads one binary file of a checkpoint and checks it against what model.json records. */
function readChecked(
  dir: string,
  name: string,
  json: ModelJson,
  specs: readonly tf.io.WeightsManifestEntry[],
): Uint8Array {
  const path = join(dir, name);
  const bytes = readBin(path);
  const torn =
    `: the checkpoint in ${dir} is torn or was edited, so it is not used. ` +
    'Use another checkpoint of the run (best/ or last/), or train again.';
  const recorded = json.files?.[name];
  if (json.files !== undefined && recorded === undefined) {
    throw new CheckpointError(`${join(dir, 'model.json')} does not list ${name}${torn}`);
  }
  if (recorded !== undefined) {
    const actual = fileEntry(bytes);
    if (actual.bytes !== recorded.bytes || actual.sha256 !== recorded.sha256) {
      throw new CheckpointError(
        `${path} (${actual.bytes} bytes, SHA-256 ${actual.sha256.slice(0, 12)}…) is not the file ` +
          `model.json (epoch ${json.nnb.epoch}) was written with (${recorded.bytes} bytes, ` +
          `SHA-256 ${recorded.sha256.slice(0, 12)}…)${torn}`,
      );
    }
  }
  const expected = specBytes(specs);
  if (bytes.byteLength !== expected) {
    throw new CheckpointError(
      `${path} holds ${bytes.byteLength} bytes, but model.json describes ${expected}${torn}`,
    );
  }
  return bytes;
}

/** True when `dir` holds a checkpoint whose files all match its model.json. */
export function isCompleteCheckpoint(dir: string): boolean {
  try {
    readCheckedFiles(dir, readModelJson(dir));
    return true;
  } catch {
    return false;
  }
}

/**
 * The folder a checkpoint named `dir` (`<run>/last`) is read from: `dir`, or the complete copy a
 * checkpoint switch interrupted by a kill left beside it; null when there is none.
 */
export function findCheckpoint(dir: string): string | null {
  return findCheckpointFolder(dir, isCompleteCheckpoint);
}

/**
 * Reads a checkpoint folder written by saveCheckpoint, checking each file against the sizes and
 * hashes model.json records; throws CheckpointError naming what is missing or does not match.
 */
export function loadCheckpoint(dir: string, withOptimizer = false): LoadedCheckpoint {
  const folder = findCheckpoint(dir) ?? dir;
  const json = readModelJson(folder);
  const specs = json.weightsManifest[0]?.weights ?? [];
  const bytes = readCheckedFiles(folder, json);
  const weights = decodeFloatWeights(bytes.weights, specs);
  let optimizer: LoadedCheckpoint['optimizer'] = null;
  if (withOptimizer && json.optimizer !== undefined && bytes.optimizer !== null) {
    const state = tf.io.decodeWeights(arrayBuffer(bytes.optimizer), json.optimizer.weights);
    optimizer = { steps: json.optimizer.steps, state: new Map(Object.entries(state)) };
  }
  return { graph: json.graph, meta: json.nnb, weights, optimizer };
}

/** The metadata (epoch, validation accuracy, …) of a checkpoint whose files are intact, or null
 * when the folder holds no checkpoint; throws CheckpointError for a torn one. */
export function checkpointMeta(dir: string): ModelMeta | null {
  const folder = findCheckpoint(dir);
  if (folder === null || !existsSync(join(folder, 'model.json'))) return null;
  const json = readModelJson(folder);
  readCheckedFiles(folder, json);
  return json.nnb;
}

/** Loads checkpoint weights into a model compiled from the same graph. */
export function restoreWeights(model: CompiledModel, checkpoint: LoadedCheckpoint): void {
  importTorchWeights(model, checkpoint.weights);
}

/**
 * weights.bin as plain arrays, by the manifest's specs (float32, or int32 widened): no tensors,
 * so loading works whatever backend is active (webgpu cannot read a tensor synchronously).
 */
function decodeFloatWeights(
  bytes: Uint8Array,
  specs: readonly tf.io.WeightsManifestEntry[],
): Map<string, TorchTensor> {
  const out = new Map<string, TorchTensor>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.quantization !== undefined || (spec.dtype !== 'float32' && spec.dtype !== 'int32')) {
      throw new CheckpointError(
        `weights.bin holds "${spec.name}" as ${spec.dtype}; expected float32.`,
      );
    }
    if (offset + count * 4 > bytes.byteLength) {
      throw new CheckpointError(`weights.bin ends inside "${spec.name}": the file is cut short.`);
    }
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      data[i] =
        spec.dtype === 'float32'
          ? view.getFloat32(offset + i * 4, true)
          : view.getInt32(offset + i * 4, true);
    }
    offset += count * 4;
    out.set(spec.name, { shape: spec.shape.slice(), data });
  }
  return out;
}
