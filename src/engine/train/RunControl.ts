/**
 * Pause / resume / stop requests for a running training, honoured between batches. The loop
 * calls `checkpoint()` after every batch; it yields to the event loop (so control messages can
 * arrive) and waits while paused.
 */
export class RunControl {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;

  get stopRequested(): boolean {
    return this.stopped;
  }

  /** A pause was asked for and training has not resumed (or stopped) since. */
  get pauseRequested(): boolean {
    return this.paused && !this.stopped;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Resolves when training may go on; `onPause`/`onResume` run when it actually waits. */
  async checkpoint(onPause: () => void, onResume: () => void): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!this.paused || this.stopped) return;
    onPause();
    while (this.paused && !this.stopped) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
    if (!this.stopped) onResume();
  }
}
