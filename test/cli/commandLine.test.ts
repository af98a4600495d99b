import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/CliError.js';
import { commandHelp, defineCommand, parseCommandLine } from '../../src/cli/commandLine.js';
import { nnb } from './nnb.js';

const demo = defineCommand({
  name: 'demo',
  summary: 'a command for the parser tests',
  description: 'Does nothing.',
  positionals: [
    { name: 'run', noun: 'run folder', description: 'a run' },
    { name: 'image', noun: 'image', variadic: true, description: 'images' },
  ],
  options: {
    json: { type: 'boolean', description: 'JSON output' },
    top: { type: 'number', value: 'K', integer: true, min: 1, default: 3, description: 'classes' },
    lr: { type: 'number', value: 'X', description: 'learning rate' },
    format: {
      type: 'string',
      value: 'FORMAT',
      required: true,
      choices: { onnx: 'an ONNX file', tfjs: 'a LayersModel' },
      description: 'what to write',
    },
    input: { type: 'string', value: 'C,H,W', multiple: true, description: 'shapes' },
  },
  exitCodes: '0 done, 2 usage error',
});

const parse = (...argv: string[]) => parseCommandLine(demo, argv);
const problem = (...argv: string[]): string => {
  try {
    parse(...argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  return 'no problem';
};

describe('the shared command-line parser', () => {
  it('types and defaults every option from the definition', () => {
    expect(
      parse(
        'r',
        'a.png',
        'b.png',
        '--format=onnx',
        '--lr',
        '-0.5',
        '--input',
        '1,2,3',
        '--input=4',
      ),
    ).toEqual({
      help: false,
      positionals: ['r', 'a.png', 'b.png'],
      options: { json: false, top: 3, lr: -0.5, format: 'onnx', input: ['1,2,3', '4'] },
    });
    expect(parse('r', 'a', '--format', 'tfjs', '--json', '--top', '5').help).toBe(false);
    expect(parse('r', 'a', '--format', 'tfjs', '--json', '--top', '5')).toMatchObject({
      options: { json: true, top: 5, lr: undefined, input: [] },
    });
  });

  it('--help wins over any mistake on the line', () => {
    expect(parse('--bogus', '-h')).toEqual({ help: true });
    expect(parse('--help')).toEqual({ help: true });
  });

  it.each([
    [['r', 'a', '--format', 'onnx', '--jsn'], 'unknown option --jsn (did you mean --json?).'],
    [['r', 'a', '--format', 'onnx', '--zzzzzz'], 'unknown option --zzzzzz.'],
    [['r', 'a', '--format'], '--format needs a value: --format FORMAT.'],
    [['r', 'a', '--lr', '--json', '--format', 'onnx'], '--lr needs a value: --lr X.'],
    [['r', 'a', '--format', 'onnx', '--json=yes'], '--json takes no value, got "yes".'],
    [['r', 'a', '--format', 'onnx', '--lr', 'fast'], '--lr needs a number, got "fast".'],
    [['r', 'a', '--format', 'onnx', '--lr='], '--lr needs a number, got "".'],
    [['r', 'a', '--format', 'onnx', '--top', '1.5'], '--top needs a whole number ≥ 1, got "1.5".'],
    [['r', 'a', '--format', 'onnx', '--top', '0'], '--top needs a whole number ≥ 1, got "0".'],
    [['r', 'a', '--format', 'pdf'], '--format needs one of onnx, tfjs, got "pdf".'],
    [['r', 'a'], '--format FORMAT is required: what to write.'],
    [['--format', 'onnx'], 'takes one run folder and at least one image, got 0.'],
    [['r', '--format', 'onnx'], 'takes one run folder and at least one image, got 1: "r".'],
  ])('%j → %s', (argv, message) => {
    expect(problem(...argv)).toBe(message);
  });

  it('writes one help format: usage with required options, arguments, options, defaults', () => {
    expect(commandHelp(demo)).toBe(
      [
        'Usage: nnb demo <run> <image>… --format FORMAT [options]',
        '',
        'Does nothing.',
        '',
        'Arguments:',
        '  <run>                 a run',
        '  <image>…              images',
        '',
        'Options:',
        '      --json            JSON output',
        '      --top K           classes (default 3)',
        '      --lr X            learning rate',
        '      --format FORMAT   what to write (required)',
        '                          onnx  an ONNX file',
        '                          tfjs  a LayersModel',
        '      --input C,H,W     shapes (may be repeated)',
        '  -h, --help            show this help',
        '',
        'Exit code: 0 done, 2 usage error.',
      ].join('\n'),
    );
  });
});

describe('every nnb command parses with it', () => {
  it('nnb --help lists each command with its arguments and summary', () => {
    const r = nnb('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}predict <run> <image>… +classify images with a trained run$/m);
    expect(r.stdout).toMatch(/^ {2}export <run\|graph\.nnb\.json> +the network as/m);
  });

  it.each([
    ['summary', '--input C,H,W'],
    ['train', '--out DIR'],
    ['predict', '--top K'],
    ['export', '--out DIR'],
  ])('nnb %s: --help, and usage errors are exit 2 naming the command', (name, valued) => {
    const help = nnb(name, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: nnb ${name} <`));
    expect(help.stdout).toContain(`      ${valued} `);
    const flag = valued.split(' ')[0] ?? '';
    for (const [args, message] of [
      [['x', '--bogus'], 'unknown option --bogus.'],
      [['x', flag], `${flag} needs a value: ${valued}.`],
      [[], 'takes one '],
    ] as const) {
      const r = nnb(name, ...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^nnb ${name}: .*Try "nnb ${name} --help"\\.\n$`));
      expect(r.stderr).toContain(message);
    }
  });
});
