import { parseArgs } from 'node:util';
import { analyze } from '../core/analysis/analyze.js';
import { inputNodeIds, withInputShape } from '../core/graph/edits.js';
import type { GraphDocument } from '../core/graph/document.js';
import { summaryJson } from '../core/format/summaryJson.js';
import { summaryTable } from '../core/format/summaryTable.js';
import { CliError } from './CliError.js';
import { readGraphFile } from './readGraphFile.js';
import { terminalStyle } from './style.js';

export const SUMMARY_USAGE = `Usage: nnb summary <file.nnb.json> [--json] [--input C,H,W | --input ID=C,H,W]

Prints every layer's output shape, parameters, MACs and receptive field, with totals.
  --json           machine-readable output (layers, totals, diagnostics)
  --input C,H,W    analyze with another input shape (e.g. 3,64,64); name the Input node
                   as ID=C,H,W when the graph has several
  --flat           list inner layers of blocks without the block rows
Exit code: 0 valid, 1 the graph has errors, 2 usage error or unreadable file.`;

/** `nnb summary`: returns the exit code. */
export async function summaryCommand(
  argv: readonly string[],
  out: NodeJS.WriteStream,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      json: { type: 'boolean', default: false },
      input: { type: 'string', multiple: true },
      flat: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    out.write(`${SUMMARY_USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new CliError(
      `nnb summary takes one graph file, got ${positionals.length}.\n\n${SUMMARY_USAGE}`,
    );
  }
  const path = positionals[0] ?? '';
  let graph = await readGraphFile(path);
  for (const spec of values.input ?? []) graph = applyInputOverride(graph, spec);

  const analysis = analyze(graph);
  const name = graph.name ?? path;
  if (values.json) {
    out.write(`${JSON.stringify(summaryJson(name, analysis), null, 2)}\n`);
    return analysis.hasErrors ? 1 : 0;
  }
  const style = terminalStyle(out);
  out.write(`${summaryTable(name, analysis, { nested: !values.flat })}\n`);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
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
