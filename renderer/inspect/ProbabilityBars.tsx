import type { Prediction } from '../../src/api/training';

const pct = (p: number | undefined) => `${((p ?? 0) * 100).toFixed(1)}%`;

/** The class probabilities as bars, the most probable highlighted and named. */
export function ProbabilityBars({ prediction, stale }: { prediction: Prediction; stale: boolean }) {
  const top = prediction.classes[prediction.top];
  return (
    <div className={`prob${stale ? ' is-stale' : ''}`} data-testid="prediction">
      <p className="prob__top" data-testid="prediction-top">
        {top} <span className="muted">{pct(prediction.probabilities[prediction.top])}</span>
      </p>
      <ul className="bars">
        {prediction.classes.map((c, i) => (
          <li key={c} className={i === prediction.top ? 'is-top' : ''}>
            <span>{c}</span>
            <i style={{ width: pct(prediction.probabilities[i]) }} />
            <b>{pct(prediction.probabilities[i])}</b>
          </li>
        ))}
      </ul>
    </div>
  );
}
