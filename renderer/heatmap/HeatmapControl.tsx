import '../styles/heatmap.css';
import { COST_METRICS, formatShare } from '../../src/core/cost/costShares';
import { ProfileButton, ProfilePanel } from '../profile/ProfilePanel';
import { useProfile } from '../profile/profileStore';
import { useEditor } from '../store/useEditor';
import { HEAT_STEPS, heatMetric, sharesFor } from './heatPalette';
import { heatmapStore, useHeatmap } from './heatmapStore';

/**
 * The canvas's cost heatmap: a toggle, the metric (params, MACs, activation memory, and measured
 * time once a profile ran), and a legend from "costs nothing" to the largest share, naming the
 * costliest node. The Profile action and its results sit beside it.
 */
export function HeatmapControl() {
  const on = useHeatmap((s) => s.on);
  const metric = useHeatmap((s) => s.metric);
  const profile = useProfile((s) => s.profile);
  const shares = useEditor((s) => (on ? sharesFor(s.analysis, metric, profile) : null));
  const definition = heatMetric(metric, profile);
  const metrics = profile === null ? COST_METRICS : [...COST_METRICS, heatMetric('time', profile)!];
  const set = heatmapStore.getState().set;
  return (
    <div className="heatmap" data-testid="heatmap">
      <div className="heatmap__bar">
        <button
          type="button"
          className={`heatmap__toggle${on ? ' is-active' : ''}`}
          data-testid="heatmap-toggle"
          aria-pressed={on}
          title="Colour every node by its share of the network’s cost"
          onClick={() => set({ on: !on })}
        >
          <span className="heatmap__icon" aria-hidden />
          Heatmap
        </button>
        <ProfileButton />
        {on && (
          <div className="segmented" role="group" aria-label="Heatmap metric">
            {metrics.map((m) => (
              <button
                key={m.id}
                type="button"
                data-testid={`heatmap-metric-${m.id}`}
                aria-pressed={metric === m.id}
                className={metric === m.id ? 'is-active' : undefined}
                onClick={() => set({ metric: m.id })}
              >
                {m.label}
              </button>
            ))}
          </div>
        )}
      </div>
      {on && shares && definition && (
        <div
          className="heatmap__legend canvas-card"
          data-testid="heatmap-legend"
          data-metric={metric}
          data-max={shares.max}
        >
          <div className="heatmap__caption">
            Share {definition.of}
            <span className="muted"> · total {definition.format(shares.total)}</span>
          </div>
          <div className="heatmap__scale" aria-hidden>
            <div className="heatmap__none">
              <span className="heatmap__swatch heatmap__swatch--none" />
              <span>none</span>
            </div>
            <div className="heatmap__steps">
              <div className="heatmap__ramp">
                {HEAT_STEPS.map((s) => (
                  <span key={s.fill} className="heatmap__swatch" style={{ background: s.fill }} />
                ))}
              </div>
              <div className="heatmap__ticks num">
                <span>&gt;0</span>
                <span>{formatShare(shares.max / 2)}</span>
                <span>{formatShare(shares.max)}</span>
              </div>
            </div>
          </div>
          {shares.top !== null && (
            <div className="heatmap__top" data-testid="heatmap-top">
              Costliest: <strong>{shares.top}</strong> {formatShare(shares.max)}
            </div>
          )}
        </div>
      )}
      <ProfilePanel />
    </div>
  );
}
