import { CliError, UsageError } from './CliError.js';
import { positionalUsage, type Command } from './commandLine.js';
import { relaxedSimdAvailable } from '../engine/wasm/simd/wasmEmitter.js';

/**
 * Every command, in the order `nnb --help` lists them, each loaded only when it runs: `nnb train`
 * then skips what export and import need (ONNX's protobufs, the exporters), ~70 ms of its
 * start-up (docs/performance.md).
 */
export const COMMANDS: readonly { readonly name: string; readonly load: () => Promise<Command> }[] =
  [
    { name: 'summary', load: async () => (await import('./summaryCommand.js')).summaryCommand },
    { name: 'train', load: async () => (await import('./trainCommand.js')).trainCommand },
    { name: 'predict', load: async () => (await import('./predictCommand.js')).predictCommand },
    { name: 'export', load: async () => (await import('./exportCommand.js')).exportCommand },
    { name: 'import', load: async () => (await import('./importCommand.js')).importCommand },
  ];

/** `nnb --help`: the commands, from their definitions. */
export async function toolHelp(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const rows = commands.map((c) => [
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
    process.stdout.write(`${await toolHelp()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`nnb 0.1.0\n${runtimeLine()}\n`);
    return 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (entry === undefined) {
    process.stderr.write(
      `nnb: unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}. Try "nnb --help".\n`,
    );
    return 2;
  }
  try {
    const command = await entry.load();
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
