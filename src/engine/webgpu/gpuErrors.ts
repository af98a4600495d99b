/**
 * GPU errors nobody asked about: validation and out-of-memory errors Dawn reports through the
 * device's `uncapturederror` event, and a lost device. tfjs-backend-webgpu never looks at them,
 * so a step whose kernels failed would "succeed" with garbage; the training loop asks here after
 * every read-back and fails the run instead (issue: never silently wrong).
 */
const pending: string[] = [];

/** Records one error (called from the device's event handlers). */
export function recordGpuError(message: string): void {
  if (pending.length < 16) pending.push(message.split('\n')[0]!.trim());
}

/** The errors since the last call, oldest first; clears them. */
export function takeGpuErrors(): string[] {
  return pending.splice(0, pending.length);
}

/** A failed GPU step: the run's `error` event carries the message. */
export class GpuError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuError';
  }
}

/** Throws a GpuError when the GPU reported anything since the last check. */
export function throwIfGpuFailed(where: string): void {
  const errors = takeGpuErrors();
  if (errors.length === 0) return;
  throw new GpuError(
    `The GPU reported an error during ${where}: ${errors[0]}` +
      (errors.length > 1 ? ` (and ${errors.length - 1} more)` : '') +
      '. The results of this step are not trustworthy; train with --backend wasm, or a smaller batch.',
  );
}
