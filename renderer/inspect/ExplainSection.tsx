import { useMemo } from 'react';
import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import { explainNode } from '../../src/core/explain/explainNode';
import { formatTraceLine } from '../../src/core/graph/trace';

/**
 * Explain: what the selected layer does and why it is used, then each formula twice — in
 * general, and with this node's own numbers plugged in (the analysis' trace lines).
 */
export function ExplainSection({ analysis, nodeId }: { analysis: GraphAnalysis; nodeId: string }) {
  const explained = useMemo(() => explainNode(analysis, nodeId), [analysis, nodeId]);
  if (explained === null) return null;
  return (
    <section className="inspector__section explain" data-testid="explain">
      <div className="panel-title">Explain · {explained.type}</div>
      <p className="explain__what">{explained.what}</p>
      <p className="explain__why">
        <span className="explain__tag">Why</span> {explained.why}
      </p>
      {explained.quantities.map((q) => (
        <div key={q.topic} className="explain__quantity" data-testid={`explain-${q.topic}`}>
          <div className="explain__head">
            <h4>{q.title}</h4>
            <span className="explain__result" data-testid={`explain-${q.topic}-result`}>
              {q.result}
            </span>
          </div>
          <div className="explain__formula" title="The general formula">
            {q.formula}
          </div>
          {q.lines.map((l, i) => (
            <code key={i} className="explain__own" title={`${nodeId}'s own numbers`}>
              {formatTraceLine(l)}
            </code>
          ))}
        </div>
      ))}
    </section>
  );
}
