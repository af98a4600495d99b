import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { GraphAnalysis } from '../../src/core/analysis/analyze';
import { formatShape } from '../../src/core/shape';
import { routedPath } from '../flow/edgePath';
import { splicePreviewFor } from '../flow/editPreviews';
import { usePaletteDrag } from '../store/paletteDragStore';
import { useEditor } from '../store/useEditor';

/** The shape on edge `source->target#index` (see edgeKey), as text; '' while unknown. */
export function edgeLabel(analysis: GraphAnalysis, id: string): string {
  const index = Number(id.slice(id.lastIndexOf('#') + 1));
  const shape = analysis.edges[index]?.shape;
  return shape ? formatShape(shape) : '';
}

/**
 * An edge labelled with the tensor that flows along it. The label is selected from the store
 * (a string: re-renders only when it changes) and drawn as HTML over the canvas rather than SVG
 * text, so no edge is measured with getBBox when shapes change.
 */
export const ShapeEdge = memo(function ShapeEdge(props: EdgeProps) {
  // The route of the last automatic layout, while it still meets both handles; else a curve.
  const route = useEditor((s) => s.edgeRoutes.get(props.id));
  const routed =
    route &&
    routedPath(
      route,
      { x: props.sourceX, y: props.sourceY },
      { x: props.targetX, y: props.targetY },
    );
  const [path, x, y] = routed
    ? [routed.path, routed.label.x, routed.label.y]
    : getBezierPath(props);
  const label = useEditor((s) => edgeLabel(s.analysis, props.id));
  // A palette item dragged over this edge: what splicing it in would do.
  const dragged = usePaletteDrag((s) => (s.edge === props.id ? s.type : null));
  const splice = useEditor((s) =>
    dragged === null ? null : splicePreviewFor(s.doc, s.analysis, props.id, dragged),
  );
  return (
    <>
      <BaseEdge
        id={props.id}
        path={path}
        markerEnd={props.markerEnd}
        interactionWidth={16}
        {...(splice && { className: `splice-target ${splice.compatible ? 'is-ok' : 'is-bad'}` })}
      />
      {splice ? (
        <EdgeLabelRenderer>
          <div
            className={`splice-preview ${splice.compatible ? 'is-ok' : 'is-bad'}`}
            data-testid="splice-preview"
            data-edge={props.id}
            data-compatible={String(splice.compatible)}
            style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
          >
            {splice.compatible ? `Insert ${splice.text}` : splice.text}
          </div>
        </EdgeLabelRenderer>
      ) : (
        label !== '' && (
          <EdgeLabelRenderer>
            <div
              className={`edge-label${props.selected ? ' is-selected' : ''}`}
              style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
            >
              {label}
            </div>
          </EdgeLabelRenderer>
        )
      )}
    </>
  );
});
