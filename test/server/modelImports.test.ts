// Keeping an imported model on the host (issue 14): the page's upload in chunks, the host's own
// import with `nnb import`'s code, the folder it keeps in the runs folder, and the confinement of
// the weights a run starts from.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineHandlers } from '../../src/api/engineDispatch.js';
import { dispatchEngineRequest } from '../../src/api/engineDispatch.js';
import { IMPORT_CHUNK_BYTES, MAX_IMPORT_BYTES } from '../../src/api/imports.js';
import type { TrainConfig, TrainingApi } from '../../src/api/training.js';
import { analyze } from '../../src/core/analysis/analyze.js';
import { initialStateDict } from '../../src/core/weights/initialStateDict.js';
import { loadCheckpoint } from '../../src/engine/train/checkpoint.js';
import { exportOnnx } from '../../src/export/onnx/exportOnnx.js';
import { exportTfjs } from '../../src/export/tfjs/exportTfjs.js';
import { sharedHandlers } from '../../src/server/engineHandlers.js';
import { TemplateStore } from '../../src/server/templateStore.js';
import { tempDir, template } from '../engine/trainHelpers.js';

const lenet = template('lenet-5');
const state = initialStateDict(analyze(lenet), 3);
const onnx = exportOnnx(lenet, state);

function host() {
  const base = realpathSync(tempDir('nnb-imports-'));
  const runs = join(base, 'runs');
  mkdirSync(runs);
  mkdirSync(join(base, 'outside', 'last'), { recursive: true });
  const started: TrainConfig[] = [];
  const training: TrainingApi = {
    start: async (_graph, config) => (started.push(config as TrainConfig), { runId: 'run-1' }),
    pause: async () => {},
    resume: async () => {},
    stop: async () => {},
    predict: async () => ({ classes: [], probabilities: [], top: 0 }),
    onEvent: () => () => {},
  };
  const handlers = sharedHandlers({
    templates: new TemplateStore(join(import.meta.dirname, '..', '..', 'templates')),
    training: async () => training,
    noEngine: 'no engine',
    runsDir: runs,
  });
  const call = async <T = never>(method: string, params: unknown): Promise<T> => {
    const reply = await dispatchEngineRequest(handlers as EngineHandlers, { method, params });
    if (!reply.ok) throw new Error(reply.error);
    return reply.result as T;
  };
  return { base, runs, call, started };
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** The page's upload: begin, the bytes in chunks of `chunk`, finish. */
async function upload(
  call: ReturnType<typeof host>['call'],
  bytes: Uint8Array,
  name = 'lenet.onnx',
  chunk = 100_000,
): Promise<{ importId: string; tensors: { key: string; shape: number[] }[] }> {
  const { uploadId } = await call('imports.begin', {
    kind: 'onnx',
    name,
    files: [{ name, bytes: bytes.byteLength }],
  });
  for (let offset = 0; offset < bytes.byteLength; offset += chunk) {
    await call('imports.write', {
      uploadId,
      file: 0,
      offset,
      data: b64(bytes.subarray(offset, offset + chunk)),
    });
  }
  return call('imports.finish', { uploadId });
}

describe('imports.* (the page hands an imported model to the host)', () => {
  it('keeps the graph and the exact weights as import-…/ in the runs folder', async () => {
    const { runs, call } = host();
    const { importId, tensors } = await upload(call, onnx);
    expect(importId).toMatch(/^import-\d{8}-\d{6}-[0-9a-f]{4}$/);
    expect(readdirSync(runs)).toEqual([importId]);
    const dir = join(runs, importId);
    expect(readdirSync(dir).sort()).toEqual(['lenet.nnb.json', 'model.json', 'weights.bin']);
    expect(tensors).toEqual([...state].map(([key, t]) => ({ key, shape: [...t.shape] })));
    const checkpoint = loadCheckpoint(dir);
    expect(checkpoint.meta).toMatchObject({ mean: [0], std: [1], backend: 'imported' });
    for (const [key, t] of state) {
      expect(checkpoint.weights.get(key)?.shape, key).toEqual([...t.shape]);
      expect(checkpoint.weights.get(key)?.data, key).toEqual(Float32Array.from(t.data));
    }
    const graph = JSON.parse(readFileSync(join(dir, 'lenet.nnb.json'), 'utf8')) as {
      nodes: { id: string }[];
    };
    expect(graph.nodes.map((n) => n.id)).toEqual(lenet.nodes.map((n) => n.id));
  });

  it('a Keras model.json with its .bin file: the same weights, kept', async () => {
    const { runs, call } = host();
    const { modelJson, weightsBin } = exportTfjs(lenet, state);
    const manifest = JSON.parse(modelJson) as { weightsManifest: { paths: string[] }[] };
    const bin = manifest.weightsManifest[0]?.paths[0] ?? 'weights.bin';
    const json = new TextEncoder().encode(modelJson);
    const { uploadId } = await call('imports.begin', {
      kind: 'keras',
      name: 'model.json',
      files: [
        { name: 'model.json', bytes: json.byteLength },
        { name: bin, bytes: weightsBin.byteLength },
      ],
    });
    await call('imports.write', { uploadId, file: 0, offset: 0, data: b64(json) });
    await call('imports.write', { uploadId, file: 1, offset: 0, data: b64(weightsBin) });
    const { importId } = await call<{ importId: string }>('imports.finish', { uploadId });
    expect(readdirSync(join(runs, importId)).sort()).toEqual([
      'model.json',
      'model.nnb.json',
      'weights.bin',
    ]);
    const weights = loadCheckpoint(join(runs, importId)).weights;
    // Keras' kernels transposed back: every tensor as the state dict it was exported from.
    for (const [key, t] of state) {
      expect(weights.get(key)?.data, key).toEqual(Float32Array.from(t.data));
    }
  });

  it('refuses bytes out of order, beyond the announced size, or missing at the end', async () => {
    const { call } = host();
    const { uploadId } = await call('imports.begin', {
      kind: 'onnx',
      name: 'lenet.onnx',
      files: [{ name: 'lenet.onnx', bytes: 10 }],
    });
    const write = (offset: number, bytes: number) =>
      call('imports.write', { uploadId, file: 0, offset, data: b64(new Uint8Array(bytes)) });
    await expect(write(4, 4)).rejects.toThrow('expected offset 0, got 4');
    await write(0, 6);
    await expect(write(6, 5)).rejects.toThrow('more bytes than the 10 announced');
    await expect(
      call('imports.write', { uploadId, file: 1, offset: 0, data: b64(new Uint8Array(1)) }),
    ).rejects.toThrow('there is no file 1');
    await expect(call('imports.finish', { uploadId })).rejects.toThrow('6 of 10 bytes arrived');
    await expect(call('imports.finish', { uploadId })).rejects.toThrow('unknown');
  });

  it('refuses an import larger than the limit, and chunks larger than IMPORT_CHUNK_BYTES', async () => {
    const { call } = host();
    await expect(
      call('imports.begin', {
        kind: 'onnx',
        name: 'big.onnx',
        files: [
          { name: 'big.onnx', bytes: MAX_IMPORT_BYTES },
          { name: 'x.bin', bytes: 1 },
        ],
      }),
    ).rejects.toThrow('use nnb import for larger models');
    const { uploadId } = await call('imports.begin', {
      kind: 'onnx',
      name: 'a.onnx',
      files: [{ name: 'a.onnx', bytes: IMPORT_CHUNK_BYTES + 3 }],
    });
    await expect(
      call('imports.write', {
        uploadId,
        file: 0,
        offset: 0,
        data: b64(new Uint8Array(IMPORT_CHUNK_BYTES + 3)),
      }),
    ).rejects.toThrow('params.data');
    await expect(
      call('imports.begin', {
        kind: 'onnx',
        name: '../evil.onnx',
        files: [{ name: '../evil.onnx', bytes: 1 }],
      }),
    ).rejects.toThrow('a file name without a folder');
  });

  it('a file that does not import keeps nothing and says why', async () => {
    const { runs, call } = host();
    await expect(upload(call, onnx.subarray(0, 5000), 'cut.onnx')).rejects.toThrow(
      /imports\.finish: cut\.onnx: .*(truncated|ends in the middle)/,
    );
    expect(readdirSync(runs)).toEqual([]);
  });
});

describe('train.start from an import (initialWeights)', () => {
  it('takes the import by its id, as its real path inside the runs folder', async () => {
    const { runs, call, started } = host();
    const { importId } = await upload(call, onnx);
    await call('train.start', { graph: lenet, config: { initialWeights: importId } });
    expect(started[0]?.initialWeights).toBe(join(runs, importId));
  });

  it('refuses weights outside the runs folder, through .. or a link', async () => {
    const { base, runs, call, started } = host();
    symlinkSync(join(base, 'outside'), join(runs, 'import-link'));
    for (const path of ['../outside', join(base, 'outside'), 'import-link', runs]) {
      await expect(
        call('train.start', { graph: lenet, config: { initialWeights: path } }),
      ).rejects.toThrow(/The weights to start from .* is not inside/);
    }
    await expect(
      call('train.start', { graph: lenet, config: { initialWeights: 'import-none' } }),
    ).rejects.toThrow('does not exist');
    expect(started).toEqual([]);
    expect(existsSync(join(base, 'outside', 'last'))).toBe(true);
  });
});
