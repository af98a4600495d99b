/** One tensor a training step binds to a GPU kernel as a whole. */
export interface BoundTensor {
  /** In the user's words: `fc1's weight`, `conv1's output (batch 64)`. */
  readonly what: string;
  readonly bytes: number;
}

const MIB = 1024 * 1024;

function size(bytes: number): string {
  return bytes >= 10 * MIB ? `${Math.round(bytes / MIB)} MiB` : `${(bytes / MIB).toFixed(1)} MiB`;
}

/**
 * The first tensor larger than one storage binding of the adapter allows, as a sentence naming
 * it, or null when all fit. tfjs-backend-webgpu binds each tensor whole; past the limit Dawn
 * rejects the kernel and the step computes garbage (AlexNet's 151 MB fc weight on lavapipe's
 * 128 MiB), so such a graph must not train on this GPU at this batch size.
 */
export function bindingProblem(tensors: readonly BoundTensor[], limit: number): string | null {
  let worst: BoundTensor | null = null;
  for (const t of tensors)
    if (t.bytes > limit && (worst === null || t.bytes > worst.bytes)) worst = t;
  if (worst === null) return null;
  return `${worst.what} is ${size(worst.bytes)}, more than this GPU binds at once (${size(limit)})`;
}

/** The tensors of a training step: each weight, and each layer's output for the whole batch. */
export function stepTensors(
  weights: readonly { readonly node: string; readonly name: string; readonly size: number }[],
  outputs: readonly { readonly node: string; readonly bytesPerSample: number }[],
  batchSize: number,
): BoundTensor[] {
  return [
    ...weights.map((w) => ({ what: `${w.node}'s ${w.name}`, bytes: w.size * 4 })),
    ...outputs.map((o) => ({
      what: `${o.node}'s output at batch ${batchSize}`,
      bytes: o.bytesPerSample * batchSize,
    })),
  ];
}
