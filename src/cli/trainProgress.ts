import type { TrainConfig, TrainEvent } from '../api/training.js';
import type { Style } from './style.js';

const BAR = 24;

function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m >= 60
    ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`
    : `${m}:${String(s % 60).padStart(2, '0')}`;
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/**
 * Human-readable progress for a terminal: a header, a progress bar redrawn in place for every
 * batch, one line per epoch and a closing line with the validation accuracy.
 */
export function progressPrinter(
  out: { write(s: string): unknown; columns?: number },
  style: Style,
  config: TrainConfig,
  graphName: string,
): (event: TrainEvent) => void {
  let barShown = false;
  const clearBar = (): void => {
    if (barShown) out.write('\r\u001b[2K');
    barShown = false;
  };
  return (e) => {
    switch (e.type) {
      case 'started': {
        const d = e.dataset;
        const opt = config.optimizer;
        out.write(
          `Training ${style.bold(graphName)} on ${d.name} (${count(d.trainSize)} train / ${count(d.validationSize)} validation, ${d.inputShape.join('×')}, ${d.classNames.length} classes)\n` +
            `backend ${style.bold(e.backend)}${e.device ? ` on ${e.device}` : ''} · ${opt.name} lr ${opt.lr} · batch ${config.batchSize} · epochs ${e.firstEpoch}–${e.epochs} · ${count(e.trainableParams)} parameters\n`,
        );
        return;
      }
      case 'batch': {
        const filled = Math.round((e.batch / e.batches) * BAR);
        const bar = '█'.repeat(filled) + '░'.repeat(BAR - filled);
        out.write(
          `\r\u001b[2Kepoch ${e.epoch} ${bar} ${e.batch}/${e.batches}  loss ${e.loss.toFixed(4)}  ${count(e.samplesPerSecond)} samples/s  ETA ${duration(e.etaSeconds)}`,
        );
        barShown = true;
        return;
      }
      case 'epoch':
        clearBar();
        out.write(
          `epoch ${e.epoch}/${e.epochs}  train loss ${e.trainLoss.toFixed(4)} acc ${percent(e.trainAccuracy)}  ` +
            `${style.bold(`val loss ${e.valLoss.toFixed(4)} acc ${percent(e.valAccuracy)}`)}  ${e.seconds.toFixed(1)} s  ${count(e.samplesPerSecond)} samples/s\n`,
        );
        return;
      case 'paused':
      case 'resumed':
      case 'checkpoint':
      case 'evaluation':
        return;
      case 'warning':
        clearBar();
        out.write(`${style.yellow('warning')}: ${e.message}\n`);
        return;
      case 'finished':
        clearBar();
        out.write(
          e.bestValAccuracy === null
            ? `Stopped before the first epoch ended. Run folder: ${e.runDir}\n`
            : `${e.reason === 'completed' ? 'Done' : e.reason === 'stopped' ? 'Stopped' : 'Stopped early (validation loss stopped improving)'}. ` +
                `Best validation accuracy ${style.bold(percent(e.bestValAccuracy))} (epoch ${e.bestEpoch}). Run folder: ${e.runDir}\n`,
        );
        return;
      case 'error':
        clearBar();
        return;
    }
  };
}
