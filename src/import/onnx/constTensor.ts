/**
 * A tensor whose values are known while importing: an initializer, a Constant node, or shape
 * arithmetic folded with the static input shape. Integers are held as float64 numbers; the batch
 * size, unknown until the model runs, is NaN (it survives Gather, Concat and Unsqueeze intact).
 */
export interface ConstTensor {
  readonly dims: readonly number[];
  readonly type: 'float' | 'int';
  readonly data: Float32Array | Float64Array;
}

/** The batch size inside folded shape tensors. */
export const BATCH = Number.NaN;

export const elementCount = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

export function intTensor(
  values: readonly number[],
  dims: readonly number[] = [values.length],
): ConstTensor {
  return { dims, type: 'int', data: Float64Array.from(values) };
}

/** The values as a plain list. */
export const valuesOf = (t: ConstTensor): number[] => Array.from(t.data);

/** A scalar or one-element tensor's value, else undefined. */
export function scalarOf(t: ConstTensor | undefined): number | undefined {
  return t !== undefined && t.data.length === 1 ? t.data[0] : undefined;
}

/** The same values with other dims (element counts must agree). */
export const reshaped = (t: ConstTensor, dims: readonly number[]): ConstTensor => ({ ...t, dims });

/** A 2-D float tensor transposed: [rows, cols] → [cols, rows]. */
export function transposed2d(t: ConstTensor): ConstTensor {
  const [rows = 1, cols = 1] = t.dims;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = t.data[r * cols + c] ?? 0;
  return { dims: [cols, rows], type: t.type, data: out };
}
