// nnb import against PyTorch's own ONNX exporter: torchvision's resnet18 and LeNet-style and
// catalog-wide CNNs written by torch.onnx.export (Debian's python3-torch), imported by the real
// `nnb` bin, then summarized, exported back to ONNX and run, all compared with the original file
// in onnxruntime.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/weights/initialStateDict.js';
import { CompiledModel } from '../../src/engine/model/CompiledModel.js';
import { fromTorchOrder, toTorchOrder } from '../../src/engine/model/layout.js';
import { loadCheckpoint, restoreWeights } from '../../src/engine/train/checkpoint.js';
import { nnb } from '../cli/nnb.js';
import { runPythonCases, torchUnavailable } from '../engine/torchReference.js';

const SCRIPT = join(import.meta.dirname, 'onnx_models.py');
const TOLERANCE = 1e-4;

interface ModelCase {
  readonly name: string;
  readonly model:
    | 'resnet18'
    | 'mobilenet_v3_small'
    | 'googlenet'
    | 'densenet121'
    | 'resnext50_32x4d'
    | 'shufflenet_v2_x0_5'
    | 'efficientnet_b0'
    | 'regnet_y_400mf'
    | 'lenet'
    | 'modern'
    | 'zoo'
    | 'unsupported';
  readonly opset: number;
  readonly batchnorm?: 'kept';
  readonly dynamic?: boolean;
}

/** What onnx_models.py reports of each file it wrote. */
interface ModelFacts {
  readonly params: number;
  readonly inputShape: number[];
  readonly outputShape: number[];
  readonly ops: string[];
  /** Hardswish, Hardsigmoid, SiLU, Multiply (one per squeeze-excitation), ChannelShuffle and
   * Slice layers the import must make. */
  readonly layers: Readonly<Record<string, number>>;
}

/** GoogLeNet/Inception, DenseNet, ResNeXt, ShuffleNet, EfficientNet, RegNet: torchvision's own. */
const FAMILIES = [
  'googlenet',
  'densenet121',
  'resnext50_32x4d',
  'shufflenet_v2_x0_5',
  'efficientnet_b0',
  'regnet_y_400mf',
] as const;

const MODELS: readonly ModelCase[] = [
  { name: 'resnet18-opset13', model: 'resnet18', opset: 13 },
  { name: 'resnet18-opset17', model: 'resnet18', opset: 17 },
  { name: 'resnet18-opset17-batchnorm', model: 'resnet18', opset: 17, batchnorm: 'kept' },
  { name: 'mobilenet_v3_small-opset13', model: 'mobilenet_v3_small', opset: 13 },
  { name: 'mobilenet_v3_small-opset17', model: 'mobilenet_v3_small', opset: 17 },
  ...FAMILIES.flatMap((model) =>
    [13, 17].map((opset): ModelCase => ({ name: `${model}-opset${opset}`, model, opset })),
  ),
  { name: 'lenet-opset13', model: 'lenet', opset: 13 },
  { name: 'lenet-opset17-batch1', model: 'lenet', opset: 17, dynamic: false },
  // LayerNormalization exists from opset 17; before it PyTorch writes LayerNorm as arithmetic.
  { name: 'modern-opset17', model: 'modern', opset: 17 },
  { name: 'zoo-opset14', model: 'zoo', opset: 14 },
  { name: 'zoo-opset17', model: 'zoo', opset: 17 },
];
const REFUSED: ModelCase = { name: 'unsupported', model: 'unsupported', opset: 13 };

const onnxMissing =
  spawnSync('/usr/bin/python3', ['-c', 'import onnx'], { encoding: 'utf8' }).status === 0
    ? null
    : '/usr/bin/python3 cannot import onnx (apt-get install python3-onnx)';
if (onnxMissing !== null && process.env.NNB_REQUIRE_TORCH === '1') {
  throw new Error(`NNB_REQUIRE_TORCH=1 but ${onnxMissing}`);
}
const missing = torchUnavailable() ?? onnxMissing;

const work = mkdtempSync(join(tmpdir(), 'nnb-import-'));
afterAll(() => rmSync(work, { recursive: true, force: true })); // ResNeXt-50 alone is 0.4 GB
const onnxFile = (c: ModelCase) => join(work, `${c.name}.onnx`);

function seededInput(shape: readonly number[], seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
}

/** The first output of an ONNX file run in onnxruntime on one input. */
async function runOnnx(path: string, data: Float32Array, shape: number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path);
  const [input = '', output = ''] = [session.inputNames[0], session.outputNames[0]];
  const result = await session.run({ [input]: new ort.Tensor('float32', data, shape) });
  return result[output]?.data as Float32Array;
}

/** Our engine's evaluation-mode output for the imported checkpoint (what nnb predict runs). */
function runEngine(dir: string, data: Float32Array, shape: number[]): Float32Array {
  const checkpoint = loadCheckpoint(dir);
  const model = CompiledModel.compile(checkpoint.graph);
  restoreWeights(model, checkpoint);
  const out = tf.tidy(() => toTorchOrder(model.predict(fromTorchOrder(tf.tensor(data, shape)))));
  const values = out.dataSync() as Float32Array;
  out.dispose();
  model.dispose();
  return values;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return worst;
}

/** A run of the real bin never shows a stack trace, whatever it refuses. */
const noStack = (stderr: string) => expect(stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe.skipIf(missing !== null)(
  `nnb import of ONNX written by torch.onnx.export${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    const facts = new Map<string, ModelFacts>();

    beforeAll(() => {
      const cases = [...MODELS, REFUSED];
      const reports = runPythonCases<ModelFacts>(
        SCRIPT,
        cases.map((c) => ({ ...c, path: onnxFile(c) })),
      );
      cases.forEach((c, i) => reports[i] && facts.set(c.name, reports[i]));
    }, 300_000);

    it.each(MODELS)(
      '$name: imports; parameters, output shape, re-export and engine match the file',
      async (c) => {
        const f = facts.get(c.name);
        if (f === undefined) throw new Error(`no report for ${c.name}`);
        const dir = join(work, `${c.name}-imported`);
        const imported = nnb('import', onnxFile(c), '--out', dir);
        expect(imported.stderr).toBe('');
        expect(imported.code).toBe(0);

        const summary = nnb('summary', join(dir, `${c.name}.nnb.json`), '--json');
        expect(summary.code).toBe(0);
        const json = JSON.parse(summary.stdout) as {
          totals: { params: number };
          layers: { output_shape: number[] }[];
        };
        expect(json.totals.params).toBe(f.params);
        expect(json.layers.at(-1)?.output_shape).toEqual(f.outputShape);
        const graph = JSON.parse(readFileSync(join(dir, `${c.name}.nnb.json`), 'utf8')) as {
          nodes: { type: string }[];
        };
        const made = Object.fromEntries(
          Object.keys(f.layers).map((t) => [t, graph.nodes.filter((n) => n.type === t).length]),
        );
        expect(made, 'one layer per module, whatever operators the opset wrote').toEqual(f.layers);

        const exported = join(work, `${c.name}-exported`);
        const exportRun = nnb('export', dir, '--format', 'onnx', '--out', exported);
        expect(exportRun.stderr).toBe('');
        expect(exportRun.code).toBe(0);

        const shape = [c.dynamic === false ? 1 : 2, ...f.inputShape];
        const x = seededInput(shape, 7);
        const original = await runOnnx(onnxFile(c), x, shape);
        const roundTrip = await runOnnx(join(exported, 'model.onnx'), x, shape);
        const engine = runEngine(dir, x, shape);
        const exportDiff = maxAbsDifference(roundTrip, original);
        const engineDiff = maxAbsDifference(engine, original);
        console.log(
          `${c.name}: ${f.params} parameters (${f.ops.length} operator types); ` +
            `max |Δ| export ${exportDiff.toExponential(2)}, engine ${engineDiff.toExponential(2)}`,
        );
        expect(exportDiff).toBeLessThanOrEqual(TOLERANCE);
        expect(engineDiff).toBeLessThanOrEqual(TOLERANCE);
      },
      120_000,
    );

    it('nnb predict on the imported LeNet gives the file’s softmax for an image', async () => {
      const c = MODELS.find((m) => m.name === 'lenet-opset13');
      if (c === undefined) throw new Error('no LeNet case');
      const dir = join(work, 'lenet-predict');
      expect(nnb('import', onnxFile(c), '--out', dir).code).toBe(0);
      const random = seededRandom(11);
      const gray = Array.from({ length: 28 * 28 }, () => Math.floor(random() * 256));
      const png = new PNG({ width: 28, height: 28 });
      gray.forEach((v, i) => png.data.set([v, v, v, 255], i * 4));
      const image = join(work, 'digit.png');
      writeFileSync(image, PNG.sync.write(png));

      const run = nnb('predict', dir, image, '--json');
      expect(run.code).toBe(0);
      const { probabilities } = JSON.parse(run.stdout) as { probabilities: number[] };
      const logits = await runOnnx(
        onnxFile(c),
        Float32Array.from(gray, (v) => v / 255),
        [1, 1, 28, 28],
      );
      const top = Math.max(...logits);
      const exp = Array.from(logits, (v) => Math.exp(v - top));
      const total = exp.reduce((a, b) => a + b, 0);
      const diff = maxAbsDifference(
        probabilities,
        exp.map((e) => e / total),
      );
      console.log(`lenet predict: max |Δ| of the probabilities ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(TOLERANCE);
    });

    it('refuses a model with operators it cannot express: exit 1, the table, nothing written', () => {
      const dir = join(work, 'refused');
      const run = nnb('import', onnxFile(REFUSED), '--out', dir);
      expect(run.code).toBe(1);
      noStack(run.stderr);
      expect(run.stderr).toMatch(/cannot be imported: 3 node\(s\) of 2 kind\(s\)/);
      expect(run.stderr).toMatch(/operator\s+count\s+first nodes\s+why/);
      expect(run.stderr).toMatch(/^Mul\s+1\s+\/Mul\s+it multiplies by a constant tensor/m);
      expect(run.stderr).toMatch(/^Resize\s+2\s+\/Resize, \/Resize_1\s+no NN Builder layer/m);
      expect(existsSync(dir)).toBe(false);
    });

    it('a truncated file exits 2 naming what is wrong, and writes nothing', () => {
      const c = MODELS.find((m) => m.name === 'lenet-opset13');
      if (c === undefined) throw new Error('no LeNet case');
      const bytes = readFileSync(onnxFile(c));
      const cut = join(work, 'cut.onnx');
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
      const dir = join(work, 'cut-imported');
      const run = nnb('import', cut, '--out', dir);
      expect(run.code).toBe(2);
      noStack(run.stderr);
      expect(run.stderr).toMatch(/cut\.onnx: the file ends in the middle of a record .*truncated/);
      expect(existsSync(dir)).toBe(false);
    });
  },
);
