import { CliError } from './CliError.js';
import { EXPORT_USAGE, exportCommand } from './exportCommand.js';
import { predictCommand } from './predictCommand.js';
import { summaryCommand, SUMMARY_USAGE } from './summaryCommand.js';
import { trainCommand } from './trainCommand.js';

const USAGE = `nnb — NN Builder on the command line

Usage: nnb <command> [options]

Commands:
  summary <file.nnb.json>   shapes, parameters, MACs and receptive fields of every layer
  train <file.nnb.json>     train on the built-in digits or your data (--data), save the run
  predict <run-dir> <img…>  classify images with a trained run
  export <file.nnb.json>    the network as ONNX or PyTorch code + weights

Run "nnb <command> --help" for a command's options.

${SUMMARY_USAGE}

${EXPORT_USAGE}`;

type Command = (argv: readonly string[], out: NodeJS.WriteStream) => Promise<number>;
const COMMANDS: Readonly<Record<string, Command>> = {
  summary: summaryCommand,
  train: trainCommand,
  predict: predictCommand,
  export: exportCommand,
};

/** Runs nnb with the given arguments; returns the process exit code. Never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write('nnb 0.1.0\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(
      `nnb: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}. Try "nnb --help".\n`,
    );
    return 2;
  }
  try {
    return await command(rest, process.stdout);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`nnb ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    if (
      error instanceof TypeError &&
      'code' in error &&
      String(error.code).startsWith('ERR_PARSE_ARGS')
    ) {
      process.stderr.write(
        `nnb ${name}: ${error.message.split('. ')[0]}. Try "nnb ${name} --help".\n`,
      );
      return 2;
    }
    process.stderr.write(
      `nnb ${name}: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 70;
  }
}
