import type { Shape } from '../../core/shape.js';

/**
 * What is wrong with a checkpoint's `nnb` metadata (class names, image shape, normalization) for a
 * model whose input is `input`, or undefined when it can classify images. model.json is a file
 * anyone can edit: without this check a missing or odd field surfaced mid-prediction as
 * "undefined is not iterable" or a 10-billion-element allocation.
 */
export function modelMetaProblem(meta: unknown, input: Shape): string | undefined {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta))
    return '"nnb" must be an object with classNames, dataShape, mean and std';
  const m = meta as Readonly<Record<string, unknown>>;
  const { classNames, dataShape, mean, std } = m;
  if (!Array.isArray(classNames) || classNames.length === 0 || !classNames.every(isString))
    return '"nnb.classNames" must be a non-empty list of class names';
  const elements = input.reduce((n, d) => n * d, 1);
  const [c = 0, h = 0, w = 0] = Array.isArray(dataShape)
    ? (dataShape as unknown[]).map(Number)
    : [];
  if (
    !Array.isArray(dataShape) ||
    dataShape.length !== 3 ||
    !dataShape.every((d) => Number.isInteger(d) && Number(d) > 0) ||
    (c !== 1 && c !== 3) ||
    c * h * w !== elements
  )
    return `"nnb.dataShape" must be [C, H, W] with C 1 or 3 and C·H·W = ${elements}, the model's input ${input.join('×')}`;
  for (const [name, values, positive] of [
    ['mean', mean, false],
    ['std', std, true],
  ] as const) {
    if (
      !Array.isArray(values) ||
      (values.length !== 1 && values.length !== c) ||
      !values.every((v) => typeof v === 'number' && Number.isFinite(v) && (!positive || v > 0))
    )
      return `"nnb.${name}" must be a list of 1 or ${c} ${positive ? 'positive ' : ''}numbers`;
  }
  return undefined;
}

const isString = (v: unknown): v is string => typeof v === 'string';
