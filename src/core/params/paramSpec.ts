import type { ParamValue } from '../graph/document.js';
import type { Pair } from '../shape.js';

/** Outcome of reading one parameter value. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/**
 * One parameter of a layer: its JSON form, its default, its limits and how to read it.
 * `T` is the normalized value the layer's rules receive (e.g. `kernel_size: 5` → `[5, 5]`).
 */
export interface ParamSpec<T> {
  readonly kind: ParamKind;
  /** What a valid value looks like, for messages: "a positive integer or [h, w] pair". */
  readonly expected: string;
  readonly description: string;
  /** The PyTorch default in JSON form; `undefined` means the parameter is required. */
  readonly default: ParamValue | undefined;
  readonly min?: number;
  readonly max?: number;
  readonly options?: readonly string[];
  /** Shown under "advanced" in the inspector. */
  readonly advanced?: boolean;
  readonly parse: (value: ParamValue) => ParseResult<T>;
  /** The accepted JSON, as a JSON Schema fragment (docs/graph.schema.json is built from these). */
  readonly schema: JsonSchema;
}

export type JsonSchema = Readonly<Record<string, unknown>>;

const integer = (min?: number, max?: number): JsonSchema => ({
  type: 'integer',
  ...(min !== undefined && { minimum: min }),
  ...(max !== undefined && { maximum: max }),
});
const number = (min?: number, max?: number, exclusiveMin = false): JsonSchema => ({
  type: 'number',
  ...(min !== undefined && (exclusiveMin ? { exclusiveMinimum: min } : { minimum: min })),
  ...(max !== undefined && { maximum: max }),
});
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const tuple = (item: JsonSchema, n: number): JsonSchema => ({
  type: 'array',
  items: item,
  minItems: n,
  maxItems: n,
});
const scalarOrPair = (item: JsonSchema): JsonSchema => ({ anyOf: [item, tuple(item, 2)] });

export type ParamKind =
  | 'int'
  | 'float'
  | 'bool'
  | 'enum'
  | 'pair'
  | 'floatPair'
  | 'padding'
  | 'pad4'
  | 'shape'
  | 'sizePair';

export type ParamSpecs = Readonly<Record<string, ParamSpec<unknown>>>;

/** The normalized parameter object a layer's rules receive. */
export type ResolvedParams<S extends ParamSpecs> = {
  readonly [K in keyof S]: S[K] extends ParamSpec<infer T> ? T : never;
};

interface Common {
  readonly description: string;
  readonly advanced?: boolean;
}

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const bad: ParseResult<never> = { ok: false };

const isInt = (v: ParamValue): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: ParamValue): v is number => typeof v === 'number' && Number.isFinite(v);
const inRange = (v: number, min?: number, max?: number): boolean =>
  (min === undefined || v >= min) && (max === undefined || v <= max);

function rangeText(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min === 1) return ' ≥ 1';
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}

export function int(
  o: Common & { readonly default?: number; readonly min?: number; readonly max?: number },
): ParamSpec<number> {
  return {
    kind: 'int',
    schema: integer(o.min, o.max),
    expected: `an integer${rangeText(o.min, o.max)}`,
    description: o.description,
    default: o.default,
    ...(o.min !== undefined && { min: o.min }),
    ...(o.max !== undefined && { max: o.max }),
    ...(o.advanced !== undefined && { advanced: o.advanced }),
    parse: (v) => (isInt(v) && inRange(v, o.min, o.max) ? ok(v) : bad),
  };
}

/** An integer, or null meaning "not set" (e.g. AvgPool2d divisor_override). */
export function optionalInt(
  o: Common & { readonly min?: number; readonly max?: number },
): ParamSpec<number | null> {
  return {
    kind: 'int',
    schema: nullable(integer(o.min, o.max)),
    expected: `null or an integer${rangeText(o.min, o.max)}`,
    description: o.description,
    default: null,
    ...(o.min !== undefined && { min: o.min }),
    ...(o.advanced !== undefined && { advanced: o.advanced }),
    parse: (v) => (v === null ? ok(null) : isInt(v) && inRange(v, o.min, o.max) ? ok(v) : bad),
  };
}

export function float(
  o: Common & {
    readonly default?: number;
    readonly min?: number;
    readonly max?: number;
    /** The minimum itself is not allowed. */
    readonly exclusiveMin?: boolean;
  },
): ParamSpec<number> {
  const lower = o.min === undefined ? '' : o.exclusiveMin ? ` > ${o.min}` : ` ≥ ${o.min}`;
  const upper = o.max === undefined ? '' : ` ≤ ${o.max}`;
  return {
    kind: 'float',
    schema: number(o.min, o.max, o.exclusiveMin),
    expected: `a number${lower}${lower && upper ? ' and' : ''}${upper}`,
    description: o.description,
    default: o.default,
    ...(o.min !== undefined && { min: o.min }),
    ...(o.max !== undefined && { max: o.max }),
    ...(o.advanced !== undefined && { advanced: o.advanced }),
    parse: (v) => {
      if (!isNum(v)) return bad;
      if (o.min !== undefined && (o.exclusiveMin ? v <= o.min : v < o.min)) return bad;
      if (o.max !== undefined && v > o.max) return bad;
      return ok(v);
    },
  };
}

/** A number, or null (BatchNorm `momentum=None`: cumulative moving average). */
export function optionalFloat(
  o: Common & { readonly default: number | null; readonly min?: number; readonly max?: number },
): ParamSpec<number | null> {
  return {
    kind: 'float',
    schema: nullable(number(o.min, o.max)),
    expected: `null or a number${rangeText(o.min, o.max)}`,
    description: o.description,
    default: o.default,
    ...(o.min !== undefined && { min: o.min }),
    ...(o.max !== undefined && { max: o.max }),
    ...(o.advanced !== undefined && { advanced: o.advanced }),
    parse: (v) => (v === null ? ok(null) : isNum(v) && inRange(v, o.min, o.max) ? ok(v) : bad),
  };
}

export function bool(o: Common & { readonly default: boolean }): ParamSpec<boolean> {
  return {
    kind: 'bool',
    schema: { type: 'boolean' },
    expected: 'true or false',
    description: o.description,
    default: o.default,
    ...(o.advanced !== undefined && { advanced: o.advanced }),
    parse: (v) => (typeof v === 'boolean' ? ok(v) : bad),
  };
}

export function oneOf<const O extends readonly string[]>(
  o: Common & { readonly options: O; readonly default: O[number] },
): ParamSpec<O[number]> {
  return {
    kind: 'enum',
    schema: { enum: o.options },
    expected: `one of ${o.options.map((s) => `"${s}"`).join(', ')}`,
    description: o.description,
    default: o.default,
    options: o.options,
    ...(o.advanced !== undefined && { advanced: o.advanced }),
    parse: (v) => (typeof v === 'string' && o.options.includes(v) ? ok(v) : bad),
  };
}

/** An int applied to both axes, or an `[h, w]` pair, as `torch.nn` accepts for kernel_size etc. */
export function pair(
  o: Common & { readonly default?: number | readonly [number, number]; readonly min: number },
): ParamSpec<Pair> {
  return {
    kind: 'pair',
    schema: scalarOrPair(integer(o.min)),
    expected: `an integer${rangeText(o.min)} or an [h, w] pair of them`,
    description: o.description,
    default: o.default,
    min: o.min,
    ...(o.advanced !== undefined && { advanced: o.advanced }),
    parse: (v) => readPair(v, (x) => isInt(x) && x >= o.min),
  };
}

/** true, false, or null meaning "not set" (Upsample `align_corners`). */
export function optionalBool(o: Common): ParamSpec<boolean | null> {
  return {
    kind: 'bool',
    schema: { type: ['boolean', 'null'] },
    expected: 'null, true or false',
    description: o.description,
    default: null,
    ...(o.advanced !== undefined && { advanced: o.advanced }),
    parse: (v) => (v === null || typeof v === 'boolean' ? ok(v) : bad),
  };
}

/** Like {@link pair} but for real numbers, e.g. Upsample's scale_factor. Null means "not set". */
export function optionalFloatPair(o: Common): ParamSpec<Pair | null> {
  return {
    kind: 'floatPair',
    schema: nullable(scalarOrPair(number(0, undefined, true))),
    expected: 'null, a positive number or an [h, w] pair of them',
    description: o.description,
    default: null,
    ...(o.advanced !== undefined && { advanced: o.advanced }),
    parse: (v) => (v === null ? ok(null) : readPair(v, (x) => isNum(x) && x > 0)),
  };
}

/** Conv padding: an int, an `[h, w]` pair, or the strings "same" / "valid". */
export type Padding = Pair | 'same';

export function padding(o: Common & { readonly default: number }): ParamSpec<Padding> {
  return {
    kind: 'padding',
    schema: { anyOf: [scalarOrPair(integer(0)), { enum: ['same', 'valid'] }] },
    expected: 'an integer ≥ 0, an [h, w] pair of them, "same" or "valid"',
    description: o.description,
    default: o.default,
    min: 0,
    parse: (v) => {
      if (v === 'same') return ok('same');
      if (v === 'valid') return ok([0, 0] as const);
      return readPair(v, (x) => isInt(x) && x >= 0);
    },
  };
}

/** Per-side padding [left, right, top, bottom] as `nn.ZeroPad2d` takes it; an int pads all four. */
export type Pad4 = readonly [number, number, number, number];

export function pad4(o: Common & { readonly default?: number }): ParamSpec<Pad4> {
  return {
    kind: 'pad4',
    schema: { anyOf: [integer(), tuple(integer(), 4)] },
    expected: 'an integer or a [left, right, top, bottom] list of integers',
    description: o.description,
    default: o.default,
    parse: (v) => {
      if (isInt(v)) return ok([v, v, v, v] as const);
      if (Array.isArray(v) && v.length === 4 && v.every(isInt)) {
        const [l, r, t, b] = v as number[];
        return ok([l ?? 0, r ?? 0, t ?? 0, b ?? 0] as const);
      }
      return bad;
    },
  };
}

/** A tensor shape without the batch axis: [C, H, W] or [F] (positive integers). */
export function shapeParam(
  o: Common & { readonly default?: readonly number[] },
): ParamSpec<readonly number[]> {
  return {
    kind: 'shape',
    schema: { type: 'array', items: integer(1), minItems: 1, maxItems: 4 },
    expected: 'a list of positive integers such as [1, 28, 28] (C, H, W) or [784]',
    description: o.description,
    default: o.default,
    parse: (v) =>
      Array.isArray(v) && v.length >= 1 && v.length <= 4 && v.every((x) => isInt(x) && x >= 1)
        ? ok(v as readonly number[])
        : bad,
  };
}

/** AdaptivePool output_size: an int, or [h, w] where null keeps that input dimension. */
export type SizePair = readonly [number | null, number | null];

export function sizePair(o: Common & { readonly default?: number }): ParamSpec<SizePair> {
  return {
    kind: 'sizePair',
    schema: { anyOf: [integer(1), tuple({ anyOf: [integer(1), { type: 'null' }] }, 2)] },
    expected: 'a positive integer or an [h, w] pair (null keeps the input size)',
    description: o.description,
    default: o.default,
    min: 1,
    parse: (v) => {
      const valid = (x: ParamValue): boolean => x === null || (isInt(x) && x >= 1);
      if (isInt(v)) return v >= 1 ? ok([v, v] as const) : bad;
      if (Array.isArray(v) && v.length === 2 && v.every(valid)) {
        return ok([v[0] as number | null, v[1] as number | null] as const);
      }
      return bad;
    },
  };
}

/** Optional positive integer pair: Upsample `size`, pooling `stride` (null = kernel_size). */
export function optionalIntPair(o: Common): ParamSpec<Pair | null> {
  return {
    kind: 'pair',
    schema: nullable(scalarOrPair(integer(1))),
    expected: 'null, a positive integer or an [h, w] pair of them',
    description: o.description,
    default: null,
    min: 1,
    ...(o.advanced !== undefined && { advanced: o.advanced }),
    parse: (v) => (v === null ? ok(null) : readPair(v, (x) => isInt(x) && x >= 1)),
  };
}

function readPair(v: ParamValue, valid: (x: ParamValue) => boolean): ParseResult<Pair> {
  if (!Array.isArray(v)) return valid(v) ? ok([v as number, v as number] as const) : bad;
  if (v.length === 2 && v.every(valid)) return ok([v[0] as number, v[1] as number] as const);
  return bad;
}
