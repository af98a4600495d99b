import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExportError } from '../../src/export/ExportError.js';
import { transpose } from '../../src/export/tfjs/kerasEmitters.js';
import { exportTfjs } from '../../src/export/tfjs/exportTfjs.js';
import {
  largestDifference,
  prepareCase,
  referenceOutput,
  runReference,
  type ExportCase,
  type ReferenceJob,
} from './exportCase.js';
import { EXPORT_GRAPHS } from './exportGraphs.js';
import { torchMissing } from './torchAvailable.js';

// VGG-16's forward pass alone takes minutes on the pure-JS CPU backend; its layer types (3×3 conv,
// max pool, ReLU, Dropout, Linear) are all covered by AlexNet and the single-layer cases.
const TESTED = Object.keys(EXPORT_GRAPHS).filter((name) => name !== 'templates/vgg-16.nnb.json');

/** What has no standard Keras layer in TensorFlow.js, and the reason the export must give. */
const INEXPRESSIBLE: Record<string, RegExp> = {
  'test/oracle/fixtures/blocks.nnb.json': /"resnext\/conv2" .*groups=4 \(neither 1 nor depthwise\)/,
  'test/oracle/fixtures/sampling-and-merges.nnb.json': /"dil" .*padding_mode "reflect"/,
  'Conv2d rect, stride, dilation, groups': /dilated convolutions with a stride/,
  'Conv2d reflect': /padding_mode "reflect" has no Keras layer/,
  'Conv2d replicate': /padding_mode "replicate" has no Keras layer/,
  'ConvTranspose2d stride, output_padding, groups': /groups, output_padding and dilation/,
  'ConvTranspose2d dilation': /groups, output_padding and dilation/,
  'MaxPool2d ceil, padding': /pads max pooling with −∞ and Keras with zeros/,
  'MaxPool2d dilation': /dilated max pooling/,
  'AvgPool2d ceil, exclude pad': /count_include_pad=False with padding/,
  ELU: /only alpha = 1/,
  'GELU tanh': /tanh approximation of GELU/,
  Hardswish: /no hard-swish activation/,
  Hardsigmoid: /hardSigmoid is 0\.2·x \+ 0\.5/,
  'test/oracle/fixtures/flat-heads.nnb.json': /GELU "gelu" .*tanh approximation/,
  LogSoftmax: /no log-softmax layer/,
  'Flatten start_dim 2': /only Flatten\(start_dim=1, end_dim=-1\)/,
  'Upsample nearest to size': /only nearest upsampling by an integer scale_factor/,
  'Upsample bilinear ×2': /only nearest upsampling by an integer scale_factor/,
  'Upsample bilinear align_corners to size': /only nearest upsampling by an integer scale_factor/,
  'Upsample bicubic ×2': /only nearest upsampling by an integer scale_factor/,
  'Upsample nearest-exact ×1.5': /only nearest upsampling by an integer scale_factor/,
  'ZeroPad2d cropping': /padding one side while cropping another/,
  'Slice of channels': /no layer that keeps a range of channels/,
  'Slice of features': /no layer that keeps a range of channels/,
};

/** Loads the files exactly as tf.loadLayersModel reads a model folder. */
async function loadFolder(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const bin = readFileSync(join(dir, 'weights.bin'));
  return tf.loadLayersModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights),
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      format: json.format,
      generatedBy: json.generatedBy,
    }),
  });
}

describe.skipIf(torchMissing !== null)(
  `TensorFlow.js export equals PyTorch${torchMissing ? ` (skipped: ${torchMissing})` : ''}`,
  () => {
    const cases = new Map<string, ExportCase | ExportError>();
    let reference: Record<string, string | null> = {};

    beforeAll(async () => {
      await tf.setBackend('cpu');
      const jobs: ReferenceJob[] = [];
      for (const name of TESTED) {
        const graph = EXPORT_GRAPHS[name]!;
        const c = prepareCase(graph, 4);
        try {
          const files = exportTfjs(graph, c.state);
          writeFileSync(join(c.dir, 'model.json'), files.modelJson);
          writeFileSync(join(c.dir, 'weights.bin'), files.weightsBin);
        } catch (error) {
          if (!(error instanceof ExportError)) throw error;
          cases.set(name, error);
          continue;
        }
        cases.set(name, c);
        jobs.push({ dir: c.dir, batch: c.batch, inputs: c.inputs.map((i) => i.file) });
      }
      reference = runReference(jobs);
    }, 300_000);

    it.each(TESTED)('%s', async (name) => {
      const c = cases.get(name);
      if (c instanceof ExportError || INEXPRESSIBLE[name] !== undefined) {
        expect(c, `${name} should be refused with a reason`).toBeInstanceOf(ExportError);
        expect((c as ExportError).message).toMatch(INEXPRESSIBLE[name] ?? /^$/);
        return;
      }
      if (c === undefined) throw new Error(`no case ${name}`);
      expect(reference[c.dir]).toBeNull();
      const model = await loadFolder(c.dir);
      const nhwc = (shape: number[]) => shape.length === 4;
      const feeds = c.inputs.map((i) => {
        const [n = 0, ch = 0, h = 0, w = 0] = i.shape;
        return nhwc(i.shape)
          ? tf.tensor(transpose(i.data, i.shape, [0, 2, 3, 1]), [n, h, w, ch])
          : tf.tensor(i.data, i.shape);
      });
      const raw = model.predict(feeds.length === 1 ? feeds[0]! : feeds);
      const outputs = Array.isArray(raw) ? raw : [raw];
      c.analysis.outputs.forEach((id, i) => {
        const t = outputs[i]!;
        const shape = [c.batch, ...(c.analysis.nodes.get(id)?.outputShape ?? [])];
        const data = t.dataSync() as Float32Array;
        const back = nhwc(shape)
          ? transpose(data, [shape[0]!, shape[2]!, shape[3]!, shape[1]!], [0, 3, 1, 2])
          : data;
        expect(largestDifference(referenceOutput(c, i), back), id).toBeLessThan(1e-4);
      });
      tf.dispose([...feeds, ...outputs]);
    });
  },
);
