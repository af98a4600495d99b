import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { LayerFlowNode } from '../flow/deriveFlow';
import { GradientSparkline } from '../flow/GradientSparkline';
import { HeatBadge, heatAttributes } from '../heatmap/HeatBadge';
import { useHeat } from '../heatmap/useHeat';
import { nodeView, ViewCache } from '../flow/nodeView';
import { useConnectPreview } from '../flow/useConnectPreview';
import { editorStore, useEditor } from '../store/useEditor';
import { categoryClass } from './categoryClass';
import { ConnectPreview } from './ConnectPreview';
import { BlockInside } from '../blocks/BlockInside';

/** One cache for all node components: each keeps its own entry, by node id. */
const views = new ViewCache();

/**
 * One layer on the canvas: type, key params, output shape, params and receptive field, and —
 * when the analysis objects — the message with its one-click fix. It selects what it shows from
 * the store by id; the selector returns the same object while the content is unchanged, so an
 * edit re-renders only the nodes it affected, and only those on screen are mounted at all.
 */
export const LayerNode = memo(function LayerNode({ id, selected }: NodeProps<LayerFlowNode>) {
  const data = useEditor((s) => views.stable(id, nodeView(s.doc, s.analysis, id)));
  // While a wire is dragged: what it would do here (its own selectors; idle otherwise).
  const wire = useConnectPreview(id, data?.takesInput ?? false);
  // The cost heatmap's colour, when it is on (its own narrow selector, see heatmap/useHeat).
  const heat = useHeat(id);
  if (data === null) return null;
  const first = data.problems[0];
  return (
    <div
      className={`layer-node ${categoryClass(data.category)}${data.severity ? ` has-${data.severity}` : ''}${selected ? ' selected' : ''}${wire.role ? ` wire-${wire.role}` : ''}${wire.over ? ' wire-over' : ''}${heat ? ' heat' : ''}`}
      data-testid={`node-${id}`}
      title={first?.message}
      {...heatAttributes(heat)}
    >
      {data.takesInput && <Handle type="target" position={Position.Top} />}
      <div className="layer-node__head">
        <span className="layer-node__type">{data.type}</span>
        <span className="layer-node__id">{id}</span>
      </div>
      {data.keyParams !== '' && <div className="layer-node__params">{data.keyParams}</div>}
      <div className="layer-node__badges">
        <span
          className={`badge badge--shape${data.shape ? '' : ' badge--unknown'}`}
          data-testid={`node-shape-${id}`}
          title="Output shape (C×H×W, batch axis omitted)"
        >
          {data.shape ?? '?'}
        </span>
        {data.params && (
          <span className="badge" title="Parameters">
            {data.params} p
          </span>
        )}
        {data.rf && (
          <span className="badge" title="Receptive field in input pixels">
            RF {data.rf}
          </span>
        )}
        {heat && <HeatBadge id={id} heat={heat} />}
        {data.frozen && (
          <span className="badge badge--frozen" title="Frozen: parameters are not trained">
            frozen
          </span>
        )}
      </div>
      {/* Gradient flow of the current run: has its own narrow selector, see gradientStore. */}
      <GradientSparkline id={id} isBlock={data.category === 'Blocks'} />
      {/* A block opens in place: its inner layers, each one click from the Inspector. */}
      {data.category === 'Blocks' && <BlockInside block={id} />}
      {first && (
        <div
          className={`layer-node__problem is-${first.severity}`}
          data-testid={`node-problem-${id}`}
        >
          {/* Warnings (e.g. "not connected yet") stay one line while a network is being built. */}
          <span className={first.severity === 'warning' ? 'one-line' : undefined}>
            {first.severity === 'warning' ? '▲ ' : ''}
            {first.message}
          </span>
          {first.fix && (
            <button
              type="button"
              className="nodrag fix-button"
              data-testid={`fix-${id}`}
              onClick={(e) => {
                e.stopPropagation();
                if (first.fix) editorStore.getState().applyFix(first.fix);
              }}
            >
              {first.fix.description}
            </button>
          )}
        </div>
      )}
      {wire.preview && (
        <ConnectPreview id={id} title={`${data.type} "${id}"`} preview={wire.preview} />
      )}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
});
