import { useMemo, useState } from 'react';
import { formatBytes, formatCount } from '../../src/core/format/numbers';
import {
  diffGraphs,
  formatParamChange,
  type NodeChange,
  type NodeSide,
  type TotalsSide,
} from '../../src/core/history/graphDiff';
import type { CurveMetric } from '../compare/compareStore';
import { OverlayChart } from '../compare/OverlayChart';
import { useHistory } from './historyStore';
import { RunLine } from './RunLine';
import { runsOf, type HistoryRun, type Version } from './versions';

const signed = (n: number) => (n > 0 ? `+${formatCount(n)}` : formatCount(n));

/** The run whose curves stand for a version: its newest run with any curve, else its newest. */
export function runFor(runs: readonly HistoryRun[], versionId: string): HistoryRun | undefined {
  const mine = runsOf(runs, versionId);
  return mine.find((r) => r.result.epochs.length + r.result.trainSteps.length > 0) ?? mine[0];
}

function TotalsRow(props: {
  label: string;
  kind: string;
  before: number;
  after: number;
  show: (n: number) => string;
}) {
  const delta = props.after - props.before;
  return (
    <tr
      data-testid={`history-diff-total-${props.kind}`}
      data-before={props.before}
      data-after={props.after}
    >
      <th scope="row">{props.label}</th>
      <td>{props.show(props.before)}</td>
      <td>{props.show(props.after)}</td>
      <td className={delta === 0 ? 'muted' : delta > 0 ? 'history-diff__up' : 'history-diff__down'}>
        {delta === 0
          ? '='
          : props.kind === 'memory'
            ? `${delta > 0 ? '+' : '−'}${formatBytes(Math.abs(delta))}`
            : signed(delta)}
      </td>
    </tr>
  );
}

function Totals({ before, after }: { before: TotalsSide; after: TotalsSide }) {
  return (
    <table className="history-diff__totals" data-testid="history-diff-totals">
      <thead>
        <tr>
          <th />
          <th scope="col">before</th>
          <th scope="col">after</th>
          <th scope="col">change</th>
        </tr>
      </thead>
      <tbody>
        <TotalsRow
          label="Parameters"
          kind="params"
          before={before.params}
          after={after.params}
          show={formatCount}
        />
        <TotalsRow
          label="MACs"
          kind="macs"
          before={before.macs}
          after={after.macs}
          show={formatCount}
        />
        <TotalsRow
          label="Activation memory"
          kind="memory"
          before={before.activationBytes}
          after={after.activationBytes}
          show={formatBytes}
        />
        <TotalsRow
          label="Nodes"
          kind="nodes"
          before={before.nodes}
          after={after.nodes}
          show={formatCount}
        />
      </tbody>
    </table>
  );
}

function SideItem({ node, change }: { node: NodeSide; change: 'added' | 'removed' }) {
  return (
    <li
      className={`history-diff__node is-${change}`}
      data-testid={`history-diff-node-${node.id}`}
      data-change={change}
    >
      <span className="history-diff__mark">{change === 'added' ? '+' : '−'}</span>
      <b>{node.id}</b> {node.type}
      <span className="muted">
        {' '}
        {formatCount(node.params)} params{node.shape ? ` · output ${node.shape}` : ''}
      </span>
    </li>
  );
}

function ChangeItem({ c }: { c: NodeChange }) {
  const what = [
    ...(c.typeBefore !== c.typeAfter ? [`type ${c.typeBefore} → ${c.typeAfter}`] : []),
    ...c.paramChanges.map(formatParamChange),
    ...(c.trainableChanged ? ['trainable toggled'] : []),
    ...(c.inputs
      ? [`inputs ${c.inputs.before.join(', ') || '—'} → ${c.inputs.after.join(', ') || '—'}`]
      : []),
  ];
  return (
    <li
      className="history-diff__node is-changed"
      data-testid={`history-diff-node-${c.id}`}
      data-change="changed"
      data-edited={c.edited}
    >
      <span className="history-diff__mark">~</span>
      <b>{c.id}</b> {c.typeAfter}: {c.edited ? what.join('; ') : 'its input’s shape changed'}
      <span className="muted">
        {' '}
        · params {formatCount(c.paramsBefore)} → {formatCount(c.paramsAfter)}
        {c.paramsAfter !== c.paramsBefore && ` (${signed(c.paramsAfter - c.paramsBefore)})`}
        {c.shapeBefore !== c.shapeAfter &&
          ` · output ${c.shapeBefore ?? '?'} → ${c.shapeAfter ?? '?'}`}
      </span>
    </li>
  );
}

/** Two versions side by side: nodes added, removed and changed, the totals, both runs' curves. */
export function HistoryDiff({ before, after }: { before: Version; after: Version }) {
  const diff = useMemo(() => diffGraphs(before.doc, after.doc), [before.doc, after.doc]);
  const runs = useHistory((s) => s.history.runs);
  const [metric, setMetric] = useState<CurveMetric>('loss');
  const runBefore = runFor(runs, before.id);
  const runAfter = runFor(runs, after.id);
  const variants = useMemo(
    () => [
      { name: `v${before.seq}`, result: runBefore?.result },
      { name: `v${after.seq}`, result: runAfter?.result },
    ],
    [before.seq, after.seq, runBefore?.result, runAfter?.result],
  );
  const count = diff.added.length + diff.removed.length + diff.changed.length;
  return (
    <section
      className="history-diff"
      data-testid="history-diff"
      data-added={diff.added.length}
      data-removed={diff.removed.length}
      data-changed={diff.changed.length}
    >
      <h3>
        v{before.seq} → v{after.seq}
      </h3>
      <Totals before={diff.totals.before} after={diff.totals.after} />
      {count === 0 ? (
        <p className="muted">
          {diff.same ? 'The same network.' : 'Only wiring between the same nodes differs.'}
        </p>
      ) : (
        <ul className="history-diff__nodes" aria-label="Nodes changed">
          {diff.added.map((n) => (
            <SideItem key={`+${n.id}`} node={n} change="added" />
          ))}
          {diff.removed.map((n) => (
            <SideItem key={`-${n.id}`} node={n} change="removed" />
          ))}
          {diff.changed.map((c) => (
            <ChangeItem key={`~${c.id}`} c={c} />
          ))}
        </ul>
      )}
      <div className="history-diff__runs">
        {[
          { v: before, run: runBefore },
          { v: after, run: runAfter },
        ].map(({ v, run }) => (
          <div key={v.id}>
            <b>v{v.seq}</b>{' '}
            {run ? (
              <ul className="history-runs">
                <RunLine run={run} />
              </ul>
            ) : (
              <span className="muted">not trained</span>
            )}
          </div>
        ))}
      </div>
      <div className="segmented" role="group" aria-label="Curve metric">
        {(['loss', 'accuracy'] as const).map((m) => (
          <button
            key={m}
            type="button"
            data-testid={`history-metric-${m}`}
            aria-pressed={metric === m}
            className={metric === m ? 'is-active' : undefined}
            onClick={() => setMetric(m)}
          >
            {m === 'loss' ? 'Loss' : 'Accuracy'}
          </button>
        ))}
      </div>
      <OverlayChart
        variants={variants}
        metric={metric}
        testId="history-curve"
        fileStem={`history-v${before.seq}-v${after.seq}`}
        emptyText="Neither version was trained: press Train"
      />
    </section>
  );
}
