import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ChartSeries } from '../charts/chartData';
import { UPlotChart } from '../charts/UPlotChart';
import { ConfusionMatrix } from './ConfusionMatrix';
import { PredictView } from './PredictView';
import { StartingWeightsNote } from './StartingWeightsNote';
import { formatEta } from './trainingState';
import { trainingStore, useTraining, type TrainingForm } from './trainingStore';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The Training tab: dataset and hyperparameters, live curves, the confusion matrix, predictions. */
export function TrainingPanel() {
  const { form, run, gpu } = useTraining(
    useShallow((s) => ({ form: s.form, run: s.run, gpu: s.gpu })),
  );
  const [view, setView] = useState<'results' | 'predict'>('results');
  const set = (patch: Partial<TrainingForm>) => trainingStore.getState().setForm(patch);
  const busy = run.status === 'running' || run.status === 'paused' || run.status === 'starting';
  const perEpoch = run.batchesPerEpoch || 1;
  const atEpoch = (step: number) => run.firstEpoch - 1 + step / perEpoch;
  const loss: ChartSeries[] = [
    {
      label: 'train (batch)',
      color: 'var(--chart-batch)',
      points: run.batches.map((b) => [atEpoch(b.step), b.loss]),
    },
    {
      label: 'train',
      color: 'var(--chart-train)',
      points: run.epochPoints.map((e) => [e.epoch, e.trainLoss]),
      dots: true,
    },
    {
      label: 'validation',
      color: 'var(--chart-val)',
      points: run.epochPoints.map((e) => [e.epoch, e.valLoss]),
      dashed: true,
      dots: true,
    },
  ];
  const accuracy: ChartSeries[] = [
    {
      label: 'train (batch)',
      color: 'var(--chart-batch)',
      points: run.batches.map((b) => [atEpoch(b.step), b.accuracy]),
    },
    {
      label: 'train',
      color: 'var(--chart-train)',
      points: run.epochPoints.map((e) => [e.epoch, e.trainAccuracy]),
      dots: true,
    },
    {
      label: 'validation',
      color: 'var(--chart-val)',
      points: run.epochPoints.map((e) => [e.epoch, e.valAccuracy]),
      dashed: true,
      dots: true,
    },
  ];
  const lastVal = run.epochPoints.at(-1)?.valAccuracy;
  const number = (value: string) => (value === '' ? null : Number(value));
  return (
    <div className="training">
      <form className="training__form" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="train-dataset">Dataset</label>
          <select
            id="train-dataset"
            data-testid="train-dataset"
            disabled={busy}
            value={form.dataset}
            onChange={(e) => set({ dataset: e.target.value as TrainingForm['dataset'] })}
          >
            <option value="digits">Built-in digits (MNIST, 10,000)</option>
            <option value="idx">IDX folder (MNIST format)</option>
            <option value="image-folder">Image folder (one subfolder per class)</option>
          </select>
        </div>
        {form.dataset !== 'digits' && (
          <div className="field">
            <label htmlFor="train-path">Folder</label>
            <input
              id="train-path"
              disabled={busy}
              placeholder="/path/to/data"
              value={form.path}
              onChange={(e) => set({ path: e.target.value })}
            />
          </div>
        )}
        <div className="field-row">
          <div className="field">
            <label htmlFor="train-epochs">Epochs</label>
            <input
              id="train-epochs"
              data-testid="train-epochs"
              type="number"
              min={1}
              disabled={busy}
              value={form.epochs}
              onChange={(e) => set({ epochs: Math.max(1, Number(e.target.value) || 1) })}
            />
          </div>
          <div className="field">
            <label htmlFor="train-batch">Batch size</label>
            <input
              id="train-batch"
              type="number"
              min={1}
              disabled={busy}
              value={form.batchSize}
              onChange={(e) => set({ batchSize: Math.max(1, Number(e.target.value) || 1) })}
            />
          </div>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="train-optimizer">Optimizer</label>
            <select
              id="train-optimizer"
              disabled={busy}
              value={form.optimizer}
              onChange={(e) => set({ optimizer: e.target.value as TrainingForm['optimizer'] })}
            >
              <option value="adam">Adam</option>
              <option value="adamw">AdamW</option>
              <option value="sgd">SGD</option>
              <option value="rmsprop">RMSprop</option>
              <option value="adagrad">Adagrad</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="train-lr">Learning rate</label>
            <input
              id="train-lr"
              type="number"
              step="any"
              min={0}
              disabled={busy}
              value={form.lr}
              onChange={(e) => set({ lr: Number(e.target.value) || 0.001 })}
            />
          </div>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="train-max">Max samples</label>
            <input
              id="train-max"
              data-testid="train-max-samples"
              type="number"
              min={1}
              placeholder="all"
              disabled={busy}
              value={form.maxTrainSamples ?? ''}
              onChange={(e) => set({ maxTrainSamples: number(e.target.value) })}
            />
          </div>
          <div className="field">
            <label htmlFor="train-backend">Backend</label>
            <select
              id="train-backend"
              disabled={busy}
              value={form.backend}
              onChange={(e) => set({ backend: e.target.value as TrainingForm['backend'] })}
            >
              <option value="auto">
                {gpu ? `Best available (GPU: ${gpu})` : 'Best available'}
              </option>
              {/* Without a hardware GPU the option stays off: a software adapter is slower than
                  WebAssembly (the CLI's --backend webgpu can still force one). */}
              <option value="webgpu" disabled={!gpu}>
                {gpu ? `GPU — ${gpu}` : 'GPU (WebGPU) — no GPU found'}
              </option>
              <option value="tensorflow-gpu">TensorFlow GPU</option>
              <option value="tensorflow">TensorFlow CPU</option>
              <option value="wasm">WebAssembly</option>
              <option value="cpu">Plain JS</option>
            </select>
          </div>
        </div>
        <StartingWeightsNote disabled={busy} />
      </form>
      <div className="training__charts" data-testid="train-curve">
        <UPlotChart
          title="Loss"
          xLabel="epoch"
          series={loss}
          y="loss"
          logToggle
          testId="train-chart-loss"
          fileStem="training-loss"
          emptyText="No data yet: press Train"
          className="chart"
        />
        <UPlotChart
          title="Accuracy"
          xLabel="epoch"
          series={accuracy}
          y="fraction"
          testId="train-chart-accuracy"
          fileStem="training-accuracy"
          emptyText="No data yet: press Train"
          className="chart"
        />
      </div>
      <div className="training__side">
        <dl className="stats">
          <dt>Status</dt>
          <dd data-testid="train-status">{run.status}</dd>
          <dt>Backend</dt>
          <dd data-testid="train-backend" title={run.device ?? undefined}>
            {run.backend ?? '—'}
            {run.device && <span className="muted"> · {run.device}</span>}
          </dd>
          <dt>Speed</dt>
          <dd>{run.samplesPerSecond ? `${Math.round(run.samplesPerSecond)} samples/s` : '—'}</dd>
          <dt>ETA</dt>
          <dd>{formatEta(run.etaSeconds)}</dd>
          <dt>Val. accuracy</dt>
          <dd data-testid="train-val-accuracy">{lastVal === undefined ? '—' : pct(lastVal)}</dd>
        </dl>
        {run.message && (
          <p className={run.status === 'error' ? 'field__error' : 'muted'}>{run.message}</p>
        )}
        <div className="tabs tabs--small">
          <button
            type="button"
            className={view === 'results' ? 'is-active' : ''}
            onClick={() => setView('results')}
          >
            Confusion
          </button>
          <button
            type="button"
            data-testid="tab-predict"
            className={view === 'predict' ? 'is-active' : ''}
            onClick={() => setView('predict')}
          >
            Predict
          </button>
        </div>
        {view === 'results' ? (
          run.evaluation ? (
            <ConfusionMatrix
              classes={run.evaluation.classNames}
              confusion={run.evaluation.confusion}
            />
          ) : (
            <p className="muted">The confusion matrix appears after validation.</p>
          )
        ) : (
          <PredictView
            runId={run.status === 'finished' || run.status === 'paused' ? run.runId : null}
          />
        )}
      </div>
    </div>
  );
}
