import { CliError, UsageError } from './CliError.js';
import { positionalUsage, type Command } from './commandLine.js';
import { exportCommand } from './exportCommand.js';
import { importCommand } from './importCommand.js';
import { predictCommand } from './predictCommand.js';
import { summaryCommand } from './summaryCommand.js';
import { trainCommand } from './trainCommand.js';
import { relaxedSimdAvailable } from '../engine/wasm/simd/wasmEmitter.js';

/** Every command, in the order `nnb --help` lists them. */
const COMMANDS: readonly Command[] = [
  summaryCommand,
  trainCommand,
  predictCommand,
  exportCommand,
  importCommand,
];

/** `nnb --help`: the commands, from their definitions. */
export function toolHelp(): string {
  const rows = COMMANDS.map((c) => [
    `${c.definition.name} ${positionalUsage(c.definition)}`,
    c.definition.summary,
  ]);
  const width = Math.max(...rows.map(([left]) => left?.length ?? 0)) + 3;
  return [
    'nnb — NN Builder on the command line',
    '',
    'Usage: nnb <command> [options]',
    '',
    'Commands:',
    ...rows.map(([left, text]) => `  ${(left ?? '').padEnd(width)}${text}`),
    '',
    'Run "nnb <command> --help" for a command\'s options.',
    'Exit code: 0 success, 1 the graph or data has errors, 2 usage error or unreadable file.',
  ].join('\n');
}

/** What runs the CPU training kernels here: `nnb --version`'s second line. */
function runtimeLine(): string {
  const kernels = relaxedSimdAvailable()
    ? 'WebAssembly SIMD with fused multiply-add'
    : 'WebAssembly SIMD without fused multiply-add (this JavaScript engine lacks relaxed SIMD)';
  return `Node ${process.versions.node} · CPU training kernels: ${kernels}`;
}

/** Runs nnb with the given arguments; returns the process exit code. Never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${toolHelp()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`nnb 0.1.0\n${runtimeLine()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.definition.name === name);
  if (command === undefined) {
    process.stderr.write(
      `nnb: unknown command "${name}". Commands: ${COMMANDS.map((c) => c.definition.name).join(', ')}. Try "nnb --help".\n`,
    );
    return 2;
  }
  try {
    return await command.execute(rest, process.stdout);
  } catch (error) {
    const { code, message } = failure(name, error);
    process.stderr.write(message);
    return code;
  }
}

/** How nnb reports what a command threw: its exit code and the text for stderr. */
export function failure(name: string, error: unknown): { code: number; message: string } {
  if (error instanceof UsageError)
    return {
      code: error.exitCode,
      message: `nnb ${name}: ${error.message} Try "nnb ${name} --help".\n`,
    };
  if (error instanceof CliError)
    return { code: error.exitCode, message: `nnb ${name}: ${error.message}\n` };
  // Anything a user can cause is a CliError or a diagnostic; reaching here is a bug in nnb.
  const stack = error instanceof Error && process.env.NNB_DEBUG ? `${error.stack}\n` : '';
  return {
    code: 70,
    message:
      `nnb ${name}: internal error — a bug in nnb, not a problem with your input: ${describeError(error)}\n` +
      'Please report it on the NN Builder issue tracker with the command line and the files it ' +
      'used (NNB_DEBUG=1 prints the stack trace).\n' +
      stack,
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
