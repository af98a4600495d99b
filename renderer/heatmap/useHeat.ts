import { useEditor } from '../store/useEditor';
import { heatKey } from './heatPalette';
import { useHeatmap } from './heatmapStore';
import { useProfile } from '../profile/profileStore';

export interface NodeHeat {
  readonly share: number;
  /** 0…HEAT_STEPS.length−1, or −1 for a node that costs nothing. */
  readonly step: number;
}

/** Node `id`'s heat while the heatmap is on, else null. */
export function useHeat(id: string): NodeHeat | null {
  const on = useHeatmap((s) => s.on);
  const metric = useHeatmap((s) => s.metric);
  const profile = useProfile((s) => s.profile);
  const key = useEditor((s) => (on ? heatKey(s.analysis, metric, id, profile) : null));
  if (key === null) return null;
  const [share = '0', step = '-1'] = key.split('|');
  return { share: Number(share), step: Number(step) };
}
