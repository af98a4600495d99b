import type { CSSProperties } from 'react';
import { formatShare } from '../../src/core/cost/costShares';
import { useProfile } from '../profile/profileStore';
import { HEAT_STEPS, heatMetric } from './heatPalette';
import { useHeatmap } from './heatmapStore';
import type { NodeHeat } from './useHeat';

/** The node element's heat: its colour step as CSS variables, its share as data attributes. */
export function heatAttributes(heat: NodeHeat | null): {
  style?: CSSProperties;
  'data-heat-share'?: number;
  'data-heat-step'?: number;
} {
  if (heat === null) return {};
  const step = HEAT_STEPS[heat.step];
  return {
    'data-heat-share': heat.share,
    'data-heat-step': heat.step,
    ...(step && {
      style: { '--heat-fill': step.fill, '--heat-ink': step.ink } as CSSProperties,
    }),
  };
}

/** `57.6% MACs` on a node while the heatmap is on. */
export function HeatBadge({ id, heat }: { id: string; heat: NodeHeat }) {
  const metric = useHeatmap((s) => s.metric);
  const profile = useProfile((s) => s.profile);
  const definition = heatMetric(metric, profile);
  return (
    <span
      className="badge badge--heat"
      data-testid={`node-heat-${id}`}
      title={`Share ${definition?.of ?? ''}`}
    >
      {formatShare(heat.share)} {definition?.label ?? ''}
    </span>
  );
}
