import type { GraphAnalysis } from '../analysis/analyze.js';
import {
  formatMs,
  profileHeader,
  profileTotals,
  type LayerProfile,
} from '../profile/layerProfile.js';
import { formatCount } from './numbers.js';

/**
 * `nnb summary --profile`: each timed layer's MACs beside its measured forward, backward and
 * total milliseconds, under a line saying what was measured, then the totals against the whole
 * step. Layers the analysis does not know (none, normally) show `–` for MACs.
 */
export function profileTable(analysis: GraphAnalysis, profile: LayerProfile): string {
  const header = ['Layer (type)', 'MACs', 'Forward', 'Backward', 'Time'];
  const rows = profile.layers.map((l) => {
    const macs = analysis.nodes.get(l.id)?.macs;
    return [
      `${l.id} (${l.type})`,
      macs === undefined ? '–' : formatCount(macs),
      formatMs(l.forwardMs),
      formatMs(l.backwardMs),
      formatMs(l.forwardMs + l.backwardMs),
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  const rule = '─'.repeat(widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1));
  return [
    profileHeader(profile),
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    profileTotals(profile),
  ].join('\n');
}
