/**
 * Output-size arithmetic of sliding windows, exactly as PyTorch computes it
 * (aten/src/ATen/native/Pool.h `pooling_output_shape`, ConvUtils.h `conv_output_size`),
 * each with a human-readable expression of the numbers plugged in.
 */

export interface Computed {
  readonly value: number;
  readonly expression: string;
}

/** Effective kernel extent of a dilated kernel: d·(k−1)+1. */
export function effectiveKernel(k: number, d: number): number {
  return d * (k - 1) + 1;
}

/** `3`, or `−3` with a true minus sign for display. */
export function num(n: number): string {
  return n < 0 ? `−${-n}` : String(n);
}

/** Conv2d / MaxPool2d / AvgPool2d output length: ⌊(in + 2p − d·(k−1) − 1)/s⌋ + 1, or ⌈…⌉ with ceil_mode. */
export function windowOutput(
  input: number,
  k: number,
  s: number,
  p: number,
  d: number,
  ceilMode = false,
): Computed {
  const numerator = input + 2 * p - d * (k - 1) - 1;
  const expression = ceilMode
    ? `⌈(${input} + 2·${p} − ${d}·(${k}−1) − 1)/${s}⌉ + 1`
    : `⌊(${input} + 2·${p} − ${d}·(${k}−1) − 1)/${s}⌋ + 1`;
  if (!ceilMode) return { value: Math.floor(numerator / s) + 1, expression };
  let value = Math.ceil(numerator / s) + 1;
  // PyTorch drops a last window that would start inside the right padding.
  if ((value - 1) * s >= input + p) {
    value -= 1;
    return { value, expression: `${expression} − 1 (last window starts in the padding)` };
  }
  return { value, expression };
}

/** ConvTranspose2d output length: (in−1)·s − 2p + d·(k−1) + output_padding + 1. */
export function transposedOutput(
  input: number,
  k: number,
  s: number,
  p: number,
  d: number,
  outputPadding: number,
): Computed {
  return {
    value: (input - 1) * s - 2 * p + d * (k - 1) + outputPadding + 1,
    expression: `(${input}−1)·${s} − 2·${p} + ${d}·(${k}−1) + ${outputPadding} + 1`,
  };
}

/**
 * Padding for `padding="same"` (stride 1): total d·(k−1), the smaller half on the top/left
 * and any odd remainder on the bottom/right, as PyTorch's `_conv_forward` pads.
 */
export function samePadding(
  k: number,
  d: number,
): { readonly before: number; readonly after: number } {
  const total = d * (k - 1);
  const before = Math.floor(total / 2);
  return { before, after: total - before };
}

/**
 * Adaptive pooling window as PyTorch places it: output i covers input [⌊i·in/out⌋, ⌈(i+1)·in/out⌉)
 * (aten/src/ATen/native/AdaptivePooling.h `start_index` / `end_index`). For receptive fields we
 * use the largest window and the mean step between the centres of the first and last windows
 * (for 5 → 3 the windows are [0,2), [1,4), [3,5): kernel 3, stride 1.5). A single window
 * (global pooling) counts as stride = input, like a pool whose kernel and stride span it.
 */
export function adaptiveWindow(
  input: number,
  output: number,
): { readonly kernel: number; readonly stride: number } {
  let kernel = 0;
  const centre = (i: number): number =>
    (Math.floor((i * input) / output) + Math.ceil(((i + 1) * input) / output) - 1) / 2;
  for (let i = 0; i < output; i++) {
    const start = Math.floor((i * input) / output);
    const end = Math.ceil(((i + 1) * input) / output);
    kernel = Math.max(kernel, end - start);
  }
  const stride = output > 1 ? (centre(output - 1) - centre(0)) / (output - 1) : input;
  return { kernel, stride };
}
