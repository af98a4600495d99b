import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { analyze } from '../core/analysis/analyze.js';
import { formatCount } from '../core/format/numbers.js';
import { initialStateDict } from '../core/weights/initialStateDict.js';
import { checkStateDict } from '../export/checkStateDict.js';
import { ExportError } from '../export/ExportError.js';
import { exportOnnx } from '../export/onnx/exportOnnx.js';
import { exportPyTorch } from '../export/pytorch/exportPyTorch.js';
import { exportTfjs, type TfjsFiles } from '../export/tfjs/exportTfjs.js';
import { BundleWriteError, writeBundle } from '../export/writeBundle.js';
import { CliError } from './CliError.js';
import { command, defineCommand, type CommandArgs } from './commandLine.js';
import { readGraphFile } from './readGraphFile.js';
import { quietTfjs } from '../engine/selectBackend.js';
import { resolveRunArg } from '../engine/runs/runsHome.js';
import { readRunWeights } from './readRunWeights.js';
import type { GraphDocument } from '../core/graph/document.js';
import type { StateDict } from '../core/weights/StateDict.js';

const exportDefinition = defineCommand({
  name: 'export',
  summary: 'the network as TensorFlow.js, ONNX or PyTorch code + weights',
  description: `Writes a trained run's model (its best checkpoint, else its last), or a graph with its
initial weights (PyTorch's default initialization drawn from --seed: the same seed gives the
same weights in every format).`,
  positionals: [
    {
      name: 'run|graph.nnb.json',
      noun: 'run or graph file',
      description: 'a run folder, the id that "nnb train" printed, or a graph file',
    },
  ],
  options: {
    format: {
      type: 'string',
      value: 'FORMAT',
      required: true,
      description: 'the format to write',
      choices: {
        tfjs: 'DIR/model.json + DIR/weights.bin, a LayersModel for tf.loadLayersModel\n(channels-last input H×W×C, as TensorFlow.js expects)',
        onnx: 'DIR/model.onnx (opset 17, NCHW input, dynamic batch axis, weights embedded)',
        pytorch:
          'DIR/model.py (readable nn.Module + a torch-only loader), DIR/weights.safetensors,\nDIR/train.py (python3 train.py --data DATA, or torchrun --nproc_per_node=N train.py …)',
      },
    },
    out: {
      type: 'string',
      value: 'DIR',
      required: true,
      description: 'the folder the files are written to',
    },
    seed: {
      type: 'number',
      value: 'N',
      integer: true,
      min: 0,
      default: 0,
      description: 'seeds the initial weights of a graph file',
    },
  },
  exitCodes:
    '0 written, 1 the graph has errors or a layer has no form in that format, 2 usage error or unreadable file',
});

/** The longest typed array V8 allocates (2^32 − 1 elements): a layer's weights must fit in one. */
const MAX_TENSOR_ELEMENTS = 2 ** 32 - 1;

/** `nnb export`: a run or graph as files of another framework. */
export const exportCommand = command(exportDefinition, runExport);

async function runExport(
  { options: values, positionals }: CommandArgs<typeof exportDefinition>,
  out: NodeJS.WriteStream,
): Promise<number> {
  // Exports run tfjs ops on its cpu backend; its "install tfjs-node" banner is noise here.
  quietTfjs();
  const { format, seed } = values;
  const path = resolveRunArg(positionals[0] ?? '');
  const fromRun = (await stat(path).catch(() => null))?.isDirectory() === true;
  let graph: GraphDocument;
  let state: StateDict;
  if (fromRun) {
    ({ graph, state } = readRunWeights(path));
  } else {
    graph = await readGraphFile(path);
    const analysis = analyze(graph);
    const huge = analysis.layers.find((l) => l.params > MAX_TENSOR_ELEMENTS);
    if (huge !== undefined) {
      process.stderr.write(
        `nnb export: ${path}: ${huge.type} "${huge.id}" has ${formatCount(huge.params)} parameters; ` +
          `a weight tensor holds at most ${formatCount(MAX_TENSOR_ELEMENTS)} here, so its initial ` +
          'weights cannot be created. Use smaller sizes.\n',
      );
      return 1;
    }
    state = initialStateDict(analysis, seed);
  }
  let files: ReadonlyMap<string, string | Uint8Array>;
  try {
    checkStateDict(graph, state);
    files =
      format === 'onnx'
        ? new Map([['model.onnx', exportOnnx(graph, state)]])
        : format === 'tfjs'
          ? tfjsFiles(exportTfjs(graph, state))
          : exportPyTorch(graph, state, fromRun ? 'graph.nnb.json' : basename(path));
  } catch (error) {
    if (!(error instanceof ExportError)) throw error;
    process.stderr.write(`nnb export: ${path}: ${error.message}\n`);
    return 1;
  }
  // All files or none, into a temporary folder renamed into place (src/export/writeBundle.ts).
  let written: string[];
  try {
    written = writeBundle(values.out, files);
  } catch (error) {
    throw error instanceof BundleWriteError ? new CliError(error.message) : error;
  }
  out.write(`${written.join('\n')}\n`);
  return 0;
}

const tfjsFiles = (f: TfjsFiles) =>
  new Map<string, string | Uint8Array>([
    ['model.json', f.modelJson],
    ['weights.bin', f.weightsBin],
  ]);
