import type { TrainEvent } from '../../src/api/training';

/**
 * Which training runs belong to one view. The host streams every run's events to every listener
 * (the editor's panel and the compare view's Train all share it), and a run's first events can
 * arrive before `train.start` returns its id: those are held until the id is known.
 */
export class OwnRuns {
  private readonly mine = new Set<string>();
  private readonly held = new Map<string, TrainEvent[]>();
  private starting = 0;

  /** Call before `train.start`: events of unknown runs are held until `started`/`failed`. */
  beginStart(): void {
    this.starting++;
  }

  /** `train.start` answered: the run is ours; returns its events that arrived first. */
  started(runId: string): TrainEvent[] {
    this.mine.add(runId);
    const early = this.held.get(runId) ?? [];
    this.endStart();
    return early;
  }

  /** `train.start` failed: nothing of it will come. */
  failed(): void {
    this.endStart();
  }

  /** The events to apply now: ours pass, others are held while a start is pending, else dropped. */
  accept(event: TrainEvent): TrainEvent[] {
    if (this.mine.has(event.runId)) return [event];
    if (this.starting > 0) {
      const list = this.held.get(event.runId) ?? [];
      list.push(event);
      this.held.set(event.runId, list);
    }
    return [];
  }

  private endStart(): void {
    this.starting = Math.max(0, this.starting - 1);
    if (this.starting === 0) this.held.clear();
  }
}
