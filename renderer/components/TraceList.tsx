import type { TraceLine } from '../../src/core/graph/trace';
import { formatTraceLine } from '../../src/core/graph/trace';

const TOPICS: readonly [TraceLine['topic'], string][] = [
  ['shape', 'Output size'],
  ['params', 'Parameters'],
  ['macs', 'MACs'],
  ['rf', 'Receptive field'],
];

/** The formulas behind the node's numbers, with its own values plugged in, grouped by topic. */
export function TraceList({ trace }: { trace: readonly TraceLine[] }) {
  if (trace.length === 0) return <p className="muted">No numbers yet: fix the problems above.</p>;
  return (
    <div className="trace" data-testid="trace">
      {TOPICS.map(([topic, title]) => {
        const lines = trace.filter((l) => l.topic === topic);
        if (lines.length === 0) return null;
        return (
          <section key={topic}>
            <h4>{title}</h4>
            {lines.map((l, i) => (
              <code key={i}>{formatTraceLine(l)}</code>
            ))}
          </section>
        );
      })}
    </div>
  );
}
