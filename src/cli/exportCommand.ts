import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../core/analysis/analyze.js';
import { initialStateDict } from '../core/weights/initialStateDict.js';
import { ExportError } from '../export/ExportError.js';
import { exportOnnx } from '../export/onnx/exportOnnx.js';
import { exportPyTorch } from '../export/pytorch/exportPyTorch.js';
import { exportTfjs, type TfjsFiles } from '../export/tfjs/exportTfjs.js';
import { CliError } from './CliError.js';
import { readGraphFile } from './readGraphFile.js';
import { quietTfjs } from '../engine/selectBackend.js';
import { resolveRunArg } from '../engine/runs/runsHome.js';
import { readRunWeights } from './readRunWeights.js';
import type { GraphDocument } from '../core/graph/document.js';
import type { StateDict } from '../core/weights/StateDict.js';

export const EXPORT_USAGE = `Usage: nnb export <run|graph.nnb.json> --format tfjs|onnx|pytorch --out DIR [--seed N]

Writes a trained run's model (its best checkpoint, else its last; a run folder, or the id that
"nnb train" printed), or a graph with its initial
weights (PyTorch's default initialization drawn from --seed: the same seed gives the same weights
in every format):
  tfjs      DIR/model.json + DIR/weights.bin, a LayersModel for tf.loadLayersModel (channels-last
            input H×W×C, as TensorFlow.js expects)
  onnx      DIR/model.onnx (opset 17, NCHW input, dynamic batch axis, weights embedded)
  pytorch   DIR/model.py (readable nn.Module + a torch-only loader), DIR/weights.safetensors,
            DIR/train.py (python3 train.py --data DATA, or torchrun --nproc_per_node=N train.py …)
Exit code: 0 written, 1 the graph has errors or a layer has no form in that format, 2 usage error.`;

const FORMATS = ['tfjs', 'onnx', 'pytorch'] as const;

/** `nnb export`: returns the exit code. */
export async function exportCommand(
  argv: readonly string[],
  out: NodeJS.WriteStream,
): Promise<number> {
  // Exports run tfjs ops on its cpu backend; its "install tfjs-node" banner is noise here.
  quietTfjs();
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    out.write(`${EXPORT_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1)
    throw new CliError(
      `nnb export takes one graph file, got ${positionals.length}.\n\n${EXPORT_USAGE}`,
    );
  const format = values.format as (typeof FORMATS)[number] | undefined;
  if (format === undefined || !FORMATS.includes(format)) {
    throw new CliError(
      `--format must be one of ${FORMATS.join(', ')}${values.format ? `, got "${values.format}"` : ''}`,
    );
  }
  if (values.out === undefined)
    throw new CliError('--out DIR is required (the folder the files are written to)');
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new CliError(`--seed must be a whole number ≥ 0, got "${values.seed}"`);
  const path = resolveRunArg(positionals[0] ?? '');
  const fromRun = (await stat(path).catch(() => null))?.isDirectory() === true;
  let graph: GraphDocument;
  let state: StateDict;
  if (fromRun) {
    ({ graph, state } = readRunWeights(path));
  } else {
    graph = await readGraphFile(path);
    state = initialStateDict(analyze(graph), seed);
  }
  let files: ReadonlyMap<string, string | Uint8Array>;
  try {
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
  await mkdir(values.out, { recursive: true }).catch((error: Error) => {
    throw new CliError(`cannot create ${values.out}: ${error.message}`);
  });
  for (const [name, content] of files) await writeFile(join(values.out, name), content);
  out.write(`${[...files.keys()].map((f) => join(values.out ?? '', f)).join('\n')}\n`);
  return 0;
}

const tfjsFiles = (f: TfjsFiles) =>
  new Map<string, string | Uint8Array>([
    ['model.json', f.modelJson],
    ['weights.bin', f.weightsBin],
  ]);
