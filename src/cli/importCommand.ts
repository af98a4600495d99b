import { basename, extname } from 'node:path';
import { formatCount } from '../core/format/numbers.js';
import { analyze } from '../core/analysis/analyze.js';
import { importOnnx, OPSETS } from '../import/onnx/importOnnx.js';
import {
  ModelFormatError,
  UnsupportedModelError,
  unsupportedTable,
} from '../import/onnx/importErrors.js';
import { BundleWriteError, writeBundle } from '../export/writeBundle.js';
import { quietTfjs } from '../engine/selectBackend.js';
import { CliError } from './CliError.js';
import { command } from './commandLine.js';
import { checkpointFiles } from './importCheckpoint.js';
import { readInputFile } from './readGraphFile.js';
import { readKerasModel } from './readKerasModel.js';

/** `nnb import`: an ONNX or Keras model as a graph document and a checkpoint folder. */
export const importCommand = command(
  {
    name: 'import',
    summary: 'an ONNX or Keras model as a graph + weights (summary, predict, export read it)',
    description: `Translates an ONNX model (opsets ${OPSETS.min}–${OPSETS.max}, as PyTorch writes them) or a
Keras / TensorFlow.js model.json (its .bin weight files beside it) into a graph
document and its weights. DIR receives NAME.nnb.json and the weights as a checkpoint
(model.json + weights.bin, the layout of a run's initial/ folder), so "nnb summary
DIR/NAME.nnb.json", "nnb predict DIR …" and "nnb export DIR --format …" work on it.
Nothing is written unless the whole model imports.`,
    positionals: [
      { name: 'model.onnx|model.json', noun: 'model file', description: 'the model to import' },
    ],
    options: {
      out: {
        type: 'string',
        value: 'DIR',
        required: true,
        description: 'the folder the graph and weights are written to',
      },
      input: {
        type: 'string',
        value: 'C,H,W',
        description: 'the input size, for a model whose file leaves it open',
      },
    },
    exitCodes:
      '0 imported, 1 the model uses operators or layers NN Builder cannot express (listed), 2 usage error or a broken file',
  },
  async ({ options, positionals }, out) => {
    quietTfjs();
    const path = positionals[0] ?? '';
    const bytes = await readModelFile(path);
    const name = basename(path, extname(path)) || 'model';
    const inputShape = options.input !== undefined ? parseShape(options.input) : undefined;
    let imported;
    let origin: string;
    try {
      if (extname(path).toLowerCase() === '.json') {
        imported = await readKerasModel(path, bytes, name, inputShape);
        origin = `Keras ${imported.kind}${imported.producer ? `, ${imported.producer}` : ''}`;
      } else {
        imported = importOnnx(bytes, { name, ...(inputShape !== undefined && { inputShape }) });
        origin = `ONNX opset ${imported.opset}${imported.producer ? `, ${imported.producer}` : ''}`;
      }
    } catch (error) {
      if (error instanceof ModelFormatError) throw new CliError(`${path}: ${error.message}.`);
      if (!(error instanceof UnsupportedModelError)) throw error;
      const table =
        error.operators.length > 0 ? `\n\n${unsupportedTable(error.operators)}\n` : '\n';
      process.stderr.write(
        `nnb import: ${path} cannot be imported: ${error.message}. Nothing was written.${table}`,
      );
      return 1;
    }
    const graphFile = `${name}.nnb.json`;
    const files = new Map<string, string | Uint8Array>([
      [graphFile, `${JSON.stringify(imported.graph, null, 2)}\n`],
      ...(await checkpointFiles(imported.graph, imported.state)),
    ]);
    let written: string[];
    try {
      written = writeBundle(options.out, files);
    } catch (error) {
      throw error instanceof BundleWriteError ? new CliError(error.message) : error;
    }
    const totals = analyze(imported.graph).totals;
    out.write(`${written.join('\n')}\n`);
    out.write(
      `imported ${imported.graph.nodes.length} nodes, ${formatCount(totals.params)} parameters ` +
        `(${origin})\n`,
    );
    return 0;
  },
);

function readModelFile(path: string): Promise<Uint8Array> {
  return readInputFile(path, 'model file');
}

function parseShape(text: string): number[] {
  const dims = text.split(/[,x×]/).map((d) => Number(d.trim()));
  if (dims.length < 1 || dims.length > 3 || !dims.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new CliError(`--input must look like C,H,W (e.g. 3,224,224), got "${text}"`);
  }
  return dims;
}
