import { analyze } from '../core/analysis/analyze.js';
import { budgetsOf, evaluateBudgets } from '../core/budgets/budgets.js';
import { budgetLines } from '../core/budgets/budgetText.js';
import { inputNodeIds, withInputShape } from '../core/graph/edits.js';
import type { GraphDocument } from '../core/graph/document.js';
import { summaryJson } from '../core/format/summaryJson.js';
import { summaryTable } from '../core/format/summaryTable.js';
import { profileTable } from '../core/format/profileTable.js';
import type { LayerProfile } from '../core/profile/layerProfile.js';
import { BACKEND_NAMES, type BackendChoice } from '../api/trainConfig.js';
import { CliError } from './CliError.js';
import { command } from './commandLine.js';
import { readGraphFile } from './readGraphFile.js';
import { terminalStyle } from './style.js';

/** `nnb summary`: the torchinfo-style table, or its JSON. */
export const summaryCommand = command(
  {
    name: 'summary',
    summary: 'shapes, parameters, MACs and receptive fields of every layer',
    description:
      "Prints every layer's output shape, parameters, MACs and receptive field, with totals.",
    positionals: [{ name: 'file.nnb.json', noun: 'graph file', description: 'the network' }],
    options: {
      json: {
        type: 'boolean',
        description: 'machine-readable output (layers, totals, diagnostics)',
      },
      input: {
        type: 'string',
        value: 'C,H,W',
        multiple: true,
        description:
          'analyze with another input shape (e.g. 3,64,64); name the Input node\nas ID=C,H,W when the graph has several',
      },
      flat: { type: 'boolean', description: 'list inner layers of blocks without the block rows' },
      profile: {
        type: 'boolean',
        description:
          "also time each layer's forward and backward on a backend (median of 5\nafter 2 warm-up runs) beside its MACs, and a whole step",
      },
      'batch-size': {
        type: 'number',
        value: 'N',
        integer: true,
        min: 1,
        default: 32,
        description: 'samples per profiled step (with --profile)',
      },
      backend: {
        type: 'string',
        value: 'NAME',
        default: 'auto',
        choices: ['auto', ...BACKEND_NAMES],
        description: 'the backend to profile on (with --profile); env NNB_BACKEND too',
      },
    },
    exitCodes: '0 valid, 1 the graph has errors, 2 usage error or unreadable file',
  },
  async ({ options: values, positionals }, out) => {
    const path = positionals[0] ?? '';
    let graph = await readGraphFile(path);
    for (const spec of values.input) graph = applyInputOverride(graph, spec);

    const analysis = analyze(graph);
    const name = graph.name ?? path;
    // Budgets are targets, not errors: they are reported and leave the exit code alone.
    const budgets = evaluateBudgets(budgetsOf(graph), analysis);
    if (values.json) {
      const json = summaryJson(name, analysis);
      const withBudgets = budgets.length > 0 ? { ...json, budgets } : json;
      out.write(`${JSON.stringify(withBudgets, null, 2)}\n`);
      return analysis.hasErrors ? 1 : 0;
    }
    const style = terminalStyle(out);
    out.write(`${summaryTable(name, analysis, { nested: !values.flat })}\n`);
    if (budgets.length > 0) {
      out.write('Budgets:\n');
      const lines = budgetLines(budgets);
      for (const [i, text] of lines.entries()) {
        const status = budgets[i]?.status;
        const paint = status === 'fail' ? style.red : status === 'unknown' ? style.yellow : String;
        out.write(`  ${paint(text)}\n`);
      }
    }
    const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
    if (values.profile && errors.length === 0) {
      const profile = await profileOn(graph, values.backend as BackendChoice, values['batch-size']);
      out.write(`\n${profileTable(analysis, profile)}\n`);
    }
    const warnings = analysis.diagnostics.filter((d) => d.severity === 'warning');
    for (const d of [...errors, ...warnings]) {
      const mark = d.severity === 'error' ? style.red('error') : style.yellow('warning');
      out.write(`${mark}${d.node ? ` ${style.bold(d.node)}` : ''}: ${d.message}\n`);
      if (d.fix) out.write(`  ${style.dim(`fix: ${d.fix.description}`)}\n`);
    }
    if (errors.length > 0) {
      out.write(
        `\n${style.red(`${errors.length} error${errors.length === 1 ? '' : 's'}`)} in ${path}\n`,
      );
      return 1;
    }
    return 0;
  },
);

/** Loads the backend (and tfjs) only when asked: a plain summary stays instant. */
async function profileOn(
  graph: GraphDocument,
  backend: BackendChoice,
  batchSize: number,
): Promise<LayerProfile> {
  const { selectBackend } = await import('../engine/selectBackend.js');
  const { profileModel } = await import('../engine/profile/profileModel.js');
  try {
    const selection = await selectBackend(backend);
    const { backend: name, device } = selection;
    return await profileModel(graph, { batchSize, backend: name, device });
  } catch (error) {
    // A backend that cannot load, or the profile's time limit: the user's to change.
    if (error instanceof Error && ['BackendError', 'ProfileError'].includes(error.name))
      throw new CliError(`--profile: ${error.message}`);
    throw error;
  }
}

function applyInputOverride(graph: GraphDocument, spec: string): GraphDocument {
  const match = /^(?:(.+)=)?(\d+(?:,\d+)*)$/.exec(spec.replace(/\s+/g, '').replace(/[x×]/g, ','));
  const dims = match?.[2]?.split(',').map(Number) ?? [];
  if (match === null || dims.some((d) => d < 1) || dims.length > 4) {
    throw new CliError(`--input must look like C,H,W (e.g. 3,224,224) or ID=C,H,W, got "${spec}"`);
  }
  const inputs = inputNodeIds(graph);
  const id = match[1] ?? (inputs.length === 1 ? inputs[0] : undefined);
  if (id === undefined) {
    throw new CliError(
      inputs.length === 0
        ? '--input: the graph has no Input node'
        : `--input: the graph has ${inputs.length} Input nodes (${inputs.join(', ')}); write --input ID=C,H,W`,
    );
  }
  if (!inputs.includes(id))
    throw new CliError(
      `--input: "${id}" is not an Input node of this graph (${inputs.join(', ') || 'none'})`,
    );
  return withInputShape(graph, id, dims);
}
