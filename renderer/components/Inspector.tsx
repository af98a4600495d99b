import { useDeferredValue, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatCount, formatBytes } from '../../src/core/format/numbers';
import type { GraphNode } from '../../src/core/graph/document';
import { getDefinition } from '../../src/core/layers/registry';
import { BudgetsSection } from '../budgets/BudgetsSection';
import { formatShape } from '../../src/core/shape';
import { fieldText } from '../flow/nodeText';
import { ExplainSection } from '../inspect/ExplainSection';
import { RfOverlay } from '../inspect/RfOverlay';
import { useOverlayImage } from '../inspect/useOverlayImage';
import { InnerList } from '../blocks/BlockInside';
import { blockOf, useBlockView } from '../blocks/blockViewStore';
import { InnerInspector } from '../blocks/InnerInspector';
import { editorStore, useEditor } from '../store/useEditor';
import { categoryClass } from './categoryClass';
import { ParamField } from './ParamField';
import { ProblemItem } from './ProblemItem';
import { TraceList } from './TraceList';

/** The right panel: the selected node's form, numbers and formulas; the graph's info otherwise. */
export function Inspector() {
  const { selection, node } = useEditor(
    useShallow((s) => ({
      selection: s.selection,
      node: s.selection.length === 1 ? s.doc.nodes.find((n) => n.id === s.selection[0]) : undefined,
    })),
  );
  return (
    <aside className="inspector" data-testid="inspector" aria-label="Inspector">
      {node ? (
        <NodeInspector key={node.id} node={node} />
      ) : selection.length > 1 ? (
        <MultiInspector count={selection.length} />
      ) : (
        <GraphInspector />
      )}
    </aside>
  );
}

function NodeInspector({ node }: { node: GraphNode }) {
  // A layer inside this block, opened from the canvas or "Inside this block" below.
  const inner = useBlockView((s) =>
    s.focused !== null && blockOf(s.focused) === node.id ? s.focused : null,
  );
  const known = useEditor((s) => inner !== null && s.analysis.nodes.has(inner));
  if (inner !== null && known)
    return (
      <InnerInspector id={inner}>
        <SeeInside id={inner} />
      </InnerInspector>
    );
  return <OwnInspector node={node} />;
}

function OwnInspector({ node }: { node: GraphNode }) {
  const analysis = useEditor((s) => s.analysis.nodes.get(node.id));
  const definition = getDefinition(node.type);
  const [showAdvanced, setShowAdvanced] = useState(false);
  const store = editorStore.getState();
  const specs = Object.entries(definition?.params ?? {});
  const basic = specs.filter(([, s]) => !s.advanced);
  const advanced = specs.filter(([, s]) => s.advanced);
  const field = ([name, spec]: (typeof specs)[number]) => (
    <ParamField
      key={name}
      name={name}
      spec={spec}
      value={node.params?.[name]}
      onChange={(v) => store.setParam(node.id, name, v)}
    />
  );
  return (
    <>
      <div className={`inspector__head ${categoryClass(definition?.category ?? '')}`}>
        <span className="inspector__type">{node.type}</span>
        <NameField id={node.id} />
      </div>
      {definition && <p className="inspector__summary">{definition.summary}</p>}
      {analysis && analysis.diagnostics.length > 0 && (
        <ul className="inspector__section problems">
          {analysis.diagnostics.map((d, i) => (
            <ProblemItem key={i} diagnostic={d} />
          ))}
        </ul>
      )}
      <div className="inspector__section">
        <div className="panel-title">Parameters</div>
        {basic.length === 0 && advanced.length === 0 && <p className="muted">No parameters.</p>}
        {basic.map(field)}
        {advanced.length > 0 && (
          <button
            type="button"
            className="link-button"
            onClick={() => setShowAdvanced(!showAdvanced)}
          >
            {showAdvanced ? '▾' : '▸'} Advanced ({advanced.length})
          </button>
        )}
        {showAdvanced && advanced.map(field)}
        {definition && definition.kind === 'layer' && node.type !== 'Input' && (
          <div className="field field--check">
            <input
              id="param-trainable"
              type="checkbox"
              checked={node.trainable !== false}
              onChange={(e) => store.setTrainable(node.id, e.target.checked)}
            />
            <label htmlFor="param-trainable">trainable</label>
          </div>
        )}
      </div>
      {analysis && (
        <div className="inspector__section">
          <div className="panel-title">Numbers</div>
          <dl className="stats">
            <dt>Input</dt>
            <dd>{analysis.inputShapes.map(formatShape).join(' + ') || '—'}</dd>
            <dt>Output</dt>
            <dd>{analysis.outputShape ? formatShape(analysis.outputShape) : '?'}</dd>
            <dt>Params</dt>
            <dd>{formatCount(analysis.params)}</dd>
            <dt>MACs</dt>
            <dd>{formatCount(analysis.macs)}</dd>
            <dt>Activations</dt>
            <dd>{formatBytes(analysis.activationBytes)}</dd>
            <dt>Receptive field</dt>
            <dd>{fieldText(analysis.receptiveField) ?? '—'}</dd>
          </dl>
          <div className="panel-title">Formulas</div>
          <TraceList trace={analysis.trace} />
        </div>
      )}
      {analysis && analysis.children.length > 0 && (
        <div className="inspector__section" data-testid="inside-block">
          <div className="panel-title">Inside this block</div>
          <p className="muted">Pick a layer for its numbers, receptive field and explanation.</p>
          <InnerList block={node.id} />
        </div>
      )}
      <SeeInside id={node.id} />
    </>
  );
}

/**
 * The receptive-field overlay and the Explain section (see renderer/inspect/). They follow the
 * analysis one render behind (a deferred value), so an edit paints the canvas badges first.
 */
function SeeInside({ id }: { id: string }) {
  const analysis = useDeferredValue(useEditor((s) => s.analysis));
  const image = useOverlayImage(analysis);
  if (!analysis.nodes.has(id)) return null;
  return (
    <>
      <RfOverlay analysis={analysis} nodeId={id} image={image} />
      <ExplainSection analysis={analysis} nodeId={id} />
    </>
  );
}

function NameField({ id }: { id: string }) {
  const [text, setText] = useState(id);
  const [problem, setProblem] = useState<string | undefined>();
  const commit = () => {
    const reason = editorStore.getState().rename(id, text);
    setProblem(reason);
    if (reason !== undefined) setText(id);
  };
  return (
    <>
      <input
        className="inspector__name"
        aria-label="Node name"
        data-testid="node-name"
        value={text}
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setText(id);
        }}
      />
      {problem && <p className="field__error">{problem}</p>}
    </>
  );
}

function MultiInspector({ count }: { count: number }) {
  const store = editorStore.getState();
  return (
    <div className="inspector__section">
      <div className="panel-title">{count} nodes selected</div>
      <div className="button-row">
        <button type="button" onClick={() => store.duplicateSelection()}>
          Duplicate
        </button>
        <button type="button" className="danger" onClick={() => store.deleteSelection()}>
          Delete
        </button>
      </div>
    </div>
  );
}

function GraphInspector() {
  const { name, description, totals, layers } = useEditor(
    useShallow((s) => ({
      name: s.doc.name ?? '',
      description: s.doc.description ?? '',
      totals: s.analysis.totals,
      layers: s.analysis.layers.length,
    })),
  );
  const store = editorStore.getState();
  return (
    <>
      <div className="inspector__section">
        <div className="panel-title">Network</div>
        <div className="field">
          <label htmlFor="graph-name">Name</label>
          <input
            id="graph-name"
            value={name}
            onChange={(e) => store.setGraphInfo({ name: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="graph-description">Description</label>
          <textarea
            id="graph-description"
            rows={3}
            value={description}
            onChange={(e) => store.setGraphInfo({ description: e.target.value })}
          />
        </div>
        <dl className="stats">
          <dt>Layers</dt>
          <dd>{layers}</dd>
          <dt>Params</dt>
          <dd>{formatCount(totals.params)}</dd>
          <dt>MACs</dt>
          <dd>{formatCount(totals.macs)}</dd>
          <dt>Memory</dt>
          <dd>{formatBytes(totals.inputBytes + totals.activationBytes + totals.paramBytes)}</dd>
        </dl>
      </div>
      <BudgetsSection />
      <p className="muted inspector__hint">
        Select a layer to edit its parameters and see its formulas.
      </p>
    </>
  );
}
