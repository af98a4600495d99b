import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getEngine } from '../api/engine';
import { formatEta, runProgress } from './trainingState';
import { trainingStore, useTraining } from './trainingStore';
import { useCompare } from '../compare/compareStore';

/** Start / pause / stop and the progress bar, always in the toolbar. */
export function TrainControls() {
  const run = useTraining(useShallow((s) => s.run));
  const available = useTraining((s) => s.available);
  const comparing = useCompare((s) => s.training);
  useEffect(() => {
    getEngine()
      .info()
      .then(
        (info) => trainingStore.setState({ available: info.training, gpu: info.gpu }),
        () => trainingStore.setState({ available: false }),
      );
  }, []);
  const active = run.status === 'running' || run.status === 'paused' || run.status === 'starting';
  const t = trainingStore.getState();
  const pct = Math.round(runProgress(run) * 100);
  return (
    <div className="toolbar__group train-controls">
      <button
        type="button"
        className="primary"
        data-testid="train-start"
        disabled={active || comparing || available === false}
        onClick={() => void t.start()}
        title={
          available === false
            ? 'Training is unavailable: this host runs without the training engine'
            : comparing
              ? 'The compare view is training its variants: stop Train all first (one training at a time)'
              : 'Train the network on the chosen dataset'
        }
      >
        ▶ Train
      </button>
      <button
        type="button"
        data-testid="train-pause"
        disabled={!active || run.status === 'starting'}
        onClick={() => void (run.status === 'paused' ? t.resume() : t.pause())}
      >
        {run.status === 'paused' ? 'Resume' : 'Pause'}
      </button>
      <button
        type="button"
        data-testid="train-stop"
        disabled={!active}
        onClick={() => void t.stop()}
      >
        ■ Stop
      </button>
      <div
        className={`progress is-${run.status}`}
        data-testid="train-progress"
        role="progressbar"
        aria-label="Training progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        title={run.message ?? undefined}
      >
        <div className="progress__bar" style={{ width: `${pct}%` }} />
        <span className="progress__text">
          {run.status === 'idle'
            ? 'Not training'
            : run.status === 'starting'
              ? 'Starting…'
              : run.status === 'error'
                ? 'Failed'
                : `${pct}% · epoch ${run.epoch}/${run.firstEpoch + run.epochs - 1} · ${run.samplesPerSecond ? `${Math.round(run.samplesPerSecond)}/s` : '…'} · ETA ${formatEta(run.etaSeconds)}`}
        </span>
      </div>
    </div>
  );
}
