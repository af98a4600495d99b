import type { Schedule } from '../../api/training.js';

/**
 * The learning rate of `epoch` (1-based) under torch.optim.lr_scheduler semantics, stepped once
 * per epoch: StepLR lr·γ^⌊(e−1)/stepSize⌋; CosineAnnealingLR with T_max = the run's epochs.
 */
export function learningRateAt(
  schedule: Schedule,
  baseLr: number,
  epoch: number,
  epochs: number,
): number {
  const e = epoch - 1;
  switch (schedule.kind) {
    case 'none':
      return baseLr;
    case 'step':
      return baseLr * schedule.gamma ** Math.floor(e / schedule.stepSize);
    case 'cosine':
      return (
        schedule.minLr +
        ((baseLr - schedule.minLr) * (1 + Math.cos((Math.PI * e) / Math.max(epochs, 1)))) / 2
      );
  }
}
