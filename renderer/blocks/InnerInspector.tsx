import { Fragment, type ReactNode } from 'react';
import { formatBytes, formatCount } from '../../src/core/format/numbers';
import { formatShape } from '../../src/core/shape';
import { TraceList } from '../components/TraceList';
import { categoryClass } from '../components/categoryClass';
import { getDefinition } from '../../src/core/layers/registry';
import { fieldText } from '../flow/nodeText';
import { useEditor } from '../store/useEditor';
import { blockViewStore } from './blockViewStore';

/**
 * The Inspector for a layer inside a block (`layer1_0/conv2`): read-only — the block's params
 * decide it — with its numbers and formulas; `children` shows what it sees (the receptive-field
 * overlay and Explain, the same components as for any node).
 */
export function InnerInspector({ id, children }: { id: string; children: ReactNode }) {
  const node = useEditor((s) => s.analysis.nodes.get(id));
  const block = useEditor((s) => (node?.parent ? s.analysis.nodes.get(node.parent) : undefined));
  if (node === undefined) return null;
  const definition = getDefinition(node.type);
  const params = Object.entries(node.writtenParams);
  return (
    <div data-testid="inner-inspector">
      <div className={`inspector__head ${categoryClass(definition?.category ?? '')}`}>
        <span className="inspector__type">{node.type}</span>
        <span className="inspector__inner-id" data-testid="inner-id">
          {id}
        </span>
      </div>
      <p className="inspector__summary">
        Inside {block?.type ?? 'the block'} “{node.parent}”: its parameters follow from the block’s.{' '}
        <button
          type="button"
          className="link-button"
          data-testid="inner-back"
          onClick={() => blockViewStore.getState().focus(null)}
        >
          ← Back to the block
        </button>
      </p>
      {definition && <p className="inspector__summary">{definition.summary}</p>}
      <div className="inspector__section">
        <div className="panel-title">Parameters</div>
        {params.length === 0 ? (
          <p className="muted">No parameters.</p>
        ) : (
          <dl className="stats">
            {params.map(([name, value]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>{JSON.stringify(value)}</dd>
              </Fragment>
            ))}
          </dl>
        )}
      </div>
      <div className="inspector__section">
        <div className="panel-title">Numbers</div>
        <dl className="stats">
          <dt>Input</dt>
          <dd>{node.inputShapes.map(formatShape).join(' + ') || '—'}</dd>
          <dt>Output</dt>
          <dd>{node.outputShape ? formatShape(node.outputShape) : '?'}</dd>
          <dt>Params</dt>
          <dd>{formatCount(node.params)}</dd>
          <dt>MACs</dt>
          <dd>{formatCount(node.macs)}</dd>
          <dt>Activations</dt>
          <dd>{formatBytes(node.activationBytes)}</dd>
          <dt>Receptive field</dt>
          <dd data-testid="inner-rf">{fieldText(node.receptiveField) ?? '—'}</dd>
        </dl>
        <div className="panel-title">Formulas</div>
        <TraceList trace={node.trace} />
      </div>
      {children}
    </div>
  );
}
