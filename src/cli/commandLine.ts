import { parseArgs } from 'node:util';
import { closestName } from '../core/text/closestName.js';
import { UsageError } from './CliError.js';

interface OptionBase {
  readonly description: string;
  readonly short?: string;
}

/** A switch: present or not (`--json`). */
export interface FlagOption extends OptionBase {
  readonly type: 'boolean';
}

/** An option with a text value (`--out DIR`); `choices` limits it and describes each value. */
export interface TextOption extends OptionBase {
  readonly type: 'string';
  /** How the help names the value: `DIR`, `RUN`. */
  readonly value: string;
  readonly default?: string;
  readonly required?: boolean;
  readonly multiple?: boolean;
  /** The accepted values: a list, or each value with what it means (listed in the help). */
  readonly choices?: readonly string[] | Readonly<Record<string, string>>;
}

/** An option with a numeric value (`--epochs N`), checked before the command runs. */
export interface NumberOption extends OptionBase {
  readonly type: 'number';
  readonly value: string;
  readonly default?: number;
  readonly required?: boolean;
  readonly integer?: boolean;
  readonly min?: number;
}

export type OptionDefinition = FlagOption | TextOption | NumberOption;

/** A positional argument; `noun` is how errors count it ("one graph file"). */
export interface PositionalDefinition {
  readonly name: string;
  readonly noun: string;
  readonly description: string;
  /** One or more (only the last positional may be). */
  readonly variadic?: boolean;
}

/** One `nnb` command as data: its parsing, `--help` text and usage errors all derive from this. */
export interface CommandDefinition {
  readonly name: string;
  /** One line, for `nnb --help`. */
  readonly summary: string;
  /** What the command does, for its own `--help`. */
  readonly description: string;
  readonly positionals: readonly PositionalDefinition[];
  readonly options: Readonly<Record<string, OptionDefinition>>;
  /** Printed after the options: "0 valid, 1 …, 2 …". */
  readonly exitCodes: string;
  readonly notes?: string;
}

type OptionValue<O> = O extends FlagOption
  ? boolean
  : O extends NumberOption
    ? number
    : O extends { readonly multiple: true }
      ? readonly string[]
      : O extends { readonly choices: readonly (infer S)[] }
        ? S
        : O extends { readonly choices: infer C }
          ? Extract<keyof C, string>
          : string;

type AlwaysSet<O> = O extends
  | FlagOption
  | { readonly default: unknown }
  | { readonly required: true }
  | { readonly multiple: true }
  ? true
  : false;

/** The parsed options of a command, typed from its definition. */
export type OptionValues<D extends CommandDefinition> = {
  readonly [K in keyof D['options']]: AlwaysSet<D['options'][K]> extends true
    ? OptionValue<D['options'][K]>
    : OptionValue<D['options'][K]> | undefined;
};

/** What a command's code receives: its options, typed from its definition, and positionals. */
export interface CommandArgs<D extends CommandDefinition> {
  readonly options: OptionValues<D>;
  readonly positionals: readonly string[];
}

export type ParsedCommandLine<D extends CommandDefinition> =
  { readonly help: true } | ({ readonly help: false } & CommandArgs<D>);

/** A command ready to run: its definition and the code behind it. */
export interface Command {
  readonly definition: CommandDefinition;
  /** Parses `argv` (after the command name), prints `--help` or runs; returns the exit code. */
  readonly execute: (argv: readonly string[], out: NodeJS.WriteStream) => Promise<number>;
}

/** Declares a command's definition apart from its code, keeping its option names and kinds. */
export function defineCommand<const D extends CommandDefinition>(definition: D): D {
  return definition;
}

/** Binds a command's definition to its code; parsing and `--help` come from the definition. */
export function command<const D extends CommandDefinition>(
  definition: D,
  run: (args: CommandArgs<D>, out: NodeJS.WriteStream) => Promise<number>,
): Command {
  return {
    definition,
    execute: async (argv, out) => {
      const parsed = parseCommandLine(definition, argv);
      if (!parsed.help) return run(parsed, out);
      out.write(`${commandHelp(definition)}\n`);
      return 0;
    },
  };
}

const HELP: FlagOption = { type: 'boolean', short: 'h', description: 'show this help' };

/**
 * Parses `argv` (after the command name) against a definition with node:util parseArgs; every
 * problem is a UsageError naming the option or argument and what it needs.
 */
export function parseCommandLine<D extends CommandDefinition>(
  definition: D,
  argv: readonly string[],
): ParsedCommandLine<D> {
  const declared: Readonly<Record<string, OptionDefinition>> = {
    ...definition.options,
    help: HELP,
  };
  const { tokens } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      Object.entries(declared).map(([name, o]) => [
        name,
        {
          type: o.type === 'boolean' ? ('boolean' as const) : ('string' as const),
          multiple: o.type === 'string' && o.multiple === true,
          ...(o.short !== undefined && { short: o.short }),
        },
      ]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  // --help wins over anything else on the line, mistakes included.
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: true };
  const raw = new Map<string, string[]>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const option = declared[token.name];
    if (option === undefined) throw new UsageError(unknownOption(token.rawName, declared));
    const flag = `--${token.name}`;
    if (option.type === 'boolean') {
      if (token.value !== undefined)
        throw new UsageError(`${flag} takes no value, got "${token.value}".`);
      flags.add(token.name);
      continue;
    }
    // Without strict mode parseArgs takes the next word as the value even when it is an option.
    if (
      token.value === undefined ||
      (!token.inlineValue && /^--?[a-z]/i.test(token.value) && isOptionName(token.value, declared))
    )
      throw new UsageError(`${flag} needs a value: ${flag} ${option.value}.`);
    raw.set(token.name, [...(raw.get(token.name) ?? []), token.value]);
  }
  checkPositionals(definition, positionals);

  const options: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(definition.options)) {
    const given = raw.get(name);
    if (option.type === 'boolean') options[name] = flags.has(name);
    else if (given === undefined) {
      if (option.required === true)
        throw new UsageError(`--${name} ${option.value} is required: ${option.description}.`);
      options[name] = option.type === 'string' && option.multiple === true ? [] : option.default;
    } else if (option.type === 'number') {
      options[name] = numberValue(name, option, given.at(-1) ?? '');
    } else if (option.multiple === true) {
      options[name] = given.map((v) => textValue(name, option, v));
    } else {
      options[name] = textValue(name, option, given.at(-1) ?? '');
    }
  }
  return { help: false, options: options as OptionValues<D>, positionals };
}

function isOptionName(word: string, declared: Readonly<Record<string, OptionDefinition>>): boolean {
  const name = word.replace(/^--?/, '').split('=')[0] ?? '';
  return Object.hasOwn(declared, name) || Object.values(declared).some((o) => o.short === name);
}

function unknownOption(raw: string, declared: Readonly<Record<string, OptionDefinition>>): string {
  const guess = closestName(raw.replace(/^--?/, ''), Object.keys(declared));
  return `unknown option ${raw}${guess === undefined ? '' : ` (did you mean --${guess}?)`}.`;
}

function numberValue(name: string, option: NumberOption, text: string): number {
  const n = text.trim() === '' ? NaN : Number(text);
  const kind = option.integer === true ? 'a whole number' : 'a number';
  const bound = option.min === undefined ? '' : ` ≥ ${option.min}`;
  if (
    !Number.isFinite(n) ||
    (option.integer === true && !Number.isInteger(n)) ||
    (option.min !== undefined && n < option.min)
  )
    throw new UsageError(`--${name} needs ${kind}${bound}, got "${text}".`);
  return n;
}

function textValue(name: string, option: TextOption, text: string): string {
  const choices = choiceNames(option);
  if (choices !== undefined && !choices.includes(text))
    throw new UsageError(`--${name} needs one of ${choices.join(', ')}, got "${text}".`);
  return text;
}

function choiceNames(option: TextOption): readonly string[] | undefined {
  const { choices } = option;
  if (choices === undefined) return undefined;
  return isList(choices) ? choices : Object.keys(choices);
}

function isList(
  choices: readonly string[] | Readonly<Record<string, string>>,
): choices is readonly string[] {
  return Array.isArray(choices);
}

function checkPositionals(definition: CommandDefinition, given: readonly string[]): void {
  const fixed = definition.positionals.filter((p) => p.variadic !== true).length;
  const variadic = definition.positionals.some((p) => p.variadic === true);
  if (variadic ? given.length > fixed : given.length === fixed) return;
  const wanted = definition.positionals
    .map((p) => `${p.variadic === true ? 'at least one' : 'one'} ${p.noun}`)
    .join(' and ');
  throw new UsageError(
    `takes ${wanted}, got ${given.length}${given.length === 0 ? '' : `: ${given.map((g) => JSON.stringify(g)).join(' ')}`}.`,
  );
}

/** `<file.nnb.json> <image>…`: the positionals as the usage line writes them. */
export function positionalUsage(definition: CommandDefinition): string {
  return definition.positionals
    .map((p) => `<${p.name}>${p.variadic === true ? '…' : ''}`)
    .join(' ');
}

/** The `--help` text of a command: usage, description, arguments, options, exit codes. */
export function commandHelp(definition: CommandDefinition): string {
  const all: Readonly<Record<string, OptionDefinition>> = { ...definition.options, help: HELP };
  const optionRows: [string, string][] = Object.entries(all).map(([name, o]) => [
    `${o.short === undefined ? '    ' : `-${o.short}, `}--${name}${o.type === 'boolean' ? '' : ` ${o.value}`}`,
    optionText(o),
  ]);
  const argumentRows: [string, string][] = definition.positionals.map((p) => [
    `<${p.name}>${p.variadic === true ? '…' : ''}`,
    p.description,
  ]);
  const width = Math.max(...[...optionRows, ...argumentRows].map(([left]) => left.length)) + 3;
  const rows = (list: readonly [string, string][]) =>
    list
      .map(
        ([left, text]) =>
          `  ${left.padEnd(width)}${text.split('\n').join(`\n  ${' '.repeat(width)}`)}`,
      )
      .join('\n');
  const required = Object.entries(definition.options)
    .filter(([, o]) => o.type !== 'boolean' && o.required === true)
    .map(([name, o]) => ` --${name} ${o.type === 'boolean' ? '' : o.value}`)
    .join('');
  return [
    `Usage: nnb ${definition.name} ${positionalUsage(definition)}${required} [options]`,
    '',
    definition.description,
    '',
    'Arguments:',
    rows(argumentRows),
    '',
    'Options:',
    rows(optionRows),
    '',
    ...(definition.notes === undefined ? [] : [definition.notes]),
    `Exit code: ${definition.exitCodes}.`,
  ].join('\n');
}

function optionText(o: OptionDefinition): string {
  const notes: string[] = [];
  if (o.type !== 'boolean' && o.required === true) notes.push('required');
  if (o.type !== 'boolean' && o.default !== undefined) notes.push(`default ${o.default}`);
  if (o.type === 'string' && o.multiple === true) notes.push('may be repeated');
  const list = o.type === 'string' && o.choices !== undefined && isList(o.choices);
  if (list) notes.unshift(`one of ${choiceNames(o)?.join(', ')}`);
  const head = `${o.description}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
  if (o.type !== 'string' || o.choices === undefined || isList(o.choices)) return head;
  const entries = Object.entries(o.choices);
  const pad = Math.max(...entries.map(([name]) => name.length)) + 2;
  const indent = `\n  ${' '.repeat(pad)}`;
  return [
    head,
    ...entries.map(([name, text]) => `  ${name.padEnd(pad)}${text.split('\n').join(indent)}`),
  ].join('\n');
}
