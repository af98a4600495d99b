import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type EdgeTypes,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Position } from '../../src/core/graph/edits';
import { deriveFlow, FlowCache, type LayerFlowNode } from '../flow/deriveFlow';
import { edgeAt } from '../flow/edgeAt';
import { measuredNodeSizes } from '../flow/layoutInWorker';
import { useSelectionInView } from '../flow/useSelectionInView';
import { HeatmapControl } from '../heatmap/HeatmapControl';
import { editorStore, useEditor } from '../store/useEditor';
import { paletteDragStore } from '../store/paletteDragStore';
import { useUi } from '../store/uiStore';
import { LayerNode } from './LayerNode';
import { ShapeEdge } from './ShapeEdge';

/** The MIME type palette items carry while dragged. */
export const LAYER_MIME = 'application/x-nnb-layer';

// Module level, as React Flow asks: a new object each render would remount every node.
const nodeTypes: NodeTypes = { layer: LayerNode };
const edgeTypes: EdgeTypes = { shape: ShapeEdge };
const NODE_WIDTH = 210;
/**
 * Graphs larger than this mount only the nodes in view (React Flow's virtualization), which
 * keeps an edit within a frame on 500 nodes; smaller ones keep every node in the DOM, so
 * anything (find in page, tests, screen readers) can reach any node.
 */
const VIRTUALIZE_ABOVE = 150;

const miniMapColor = (node: LayerFlowNode) =>
  node.data.severity === 'error' ? 'var(--error)' : 'var(--minimap-node)';

const READABLE_ZOOM = 0.75;
const PAD = 40;

/**
 * The viewport that shows the graph: all of it, or — for a long network that would shrink to
 * unreadable — its top at a legible zoom (the input first; scroll down for the rest).
 */
export function fitViewport(
  bounds: { x: number; y: number; width: number; height: number },
  box: { width: number; height: number },
  mode: 'all' | 'readable',
): { x: number; y: number; zoom: number } {
  if (bounds.width === 0 && bounds.height === 0) return { x: box.width / 2, y: PAD, zoom: 1 };
  const fit = Math.min(
    (box.width - 2 * PAD) / bounds.width,
    (box.height - 2 * PAD) / bounds.height,
    1,
  );
  const zoom = mode === 'readable' ? Math.max(fit, READABLE_ZOOM) : Math.max(fit, 0.1);
  const x = box.width / 2 - (bounds.x + bounds.width / 2) * zoom;
  const y =
    zoom > fit ? PAD - bounds.y * zoom : box.height / 2 - (bounds.y + bounds.height / 2) * zoom;
  return { x, y, zoom };
}

/** The graph editor: React Flow driven entirely by the store's document. */
export function Canvas() {
  const { doc, analysis, selection, selectedEdges, fitRequest } = useEditor(
    useShallow((s) => ({
      doc: s.doc,
      analysis: s.analysis,
      selection: s.selection,
      selectedEdges: s.selectedEdges,
      fitRequest: s.fitRequest,
    })),
  );
  const theme = useUi((s) => s.theme);
  const flow = useReactFlow();
  const cache = useRef(new FlowCache());
  // Shared with the automatic layout, which leaves room for each node's real height.
  const measured = useRef(measuredNodeSizes);
  const [measureVersion, setMeasureVersion] = useState(0);

  const { nodes, edges } = useMemo(
    () =>
      deriveFlow(
        doc,
        analysis,
        new Set(selection),
        new Set(selectedEdges),
        cache.current,
        measured.current,
      ),
    // measureVersion: the measured map is mutated in place; the version re-derives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [doc, analysis, selection, selectedEdges, measureVersion],
  );

  const container = useRef<HTMLDivElement>(null);
  useSelectionInView(container);
  // The last fit request whose viewport has settled. Until the newest one has, the canvas says it
  // is busy (aria-busy): the nodes are about to move, and a click aimed at one now may land beside
  // it once the view moves (what made an end-to-end click on a freshly opened template miss).
  const [fitted, setFitted] = useState(fitRequest);
  useEffect(() => {
    // Two frames: freshly loaded nodes are measured before fitting.
    let handle = requestAnimationFrame(() => {
      handle = requestAnimationFrame(() => {
        const box = container.current?.getBoundingClientRect();
        const mode = editorStore.getState().fitMode;
        // An empty canvas keeps the default viewport: drops land where the pointer is.
        if (box && flow.getNodes().length > 0) {
          void flow
            .setViewport(fitViewport(flow.getNodesBounds(flow.getNodes()), box, mode), {
              duration: 150,
            })
            .then(() => setFitted(fitRequest));
        } else {
          setFitted(fitRequest);
        }
      });
    });
    return () => cancelAnimationFrame(handle);
  }, [fitRequest, flow]);

  const onNodesChange = useCallback((changes: NodeChange<LayerFlowNode>[]) => {
    const store = editorStore.getState();
    const moved = new Map<string, Position>();
    let dragging = false;
    let selectionChanged = false;
    const selected = new Set(store.selection);
    let sized = false;
    for (const c of changes) {
      if (c.type === 'position' && c.position) {
        moved.set(c.id, c.position);
        dragging ||= c.dragging === true;
      } else if (c.type === 'select') {
        selectionChanged = true;
        if (c.selected) selected.add(c.id);
        else selected.delete(c.id);
      } else if (c.type === 'dimensions' && c.dimensions) {
        measured.current.set(c.id, c.dimensions);
        sized = true;
      }
    }
    if (moved.size > 0) store.moveNodes(moved, !dragging);
    else if (changes.some((c) => c.type === 'position' && c.dragging === false && !c.position)) {
      store.moveNodes(new Map(), true);
    }
    if (selectionChanged) store.select([...selected], store.selectedEdges);
    if (sized) setMeasureVersion((v) => v + 1);
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const store = editorStore.getState();
    const selected = new Set(store.selectedEdges);
    let changed = false;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      changed = true;
      if (c.selected) selected.add(c.id);
      else selected.delete(c.id);
    }
    if (changed) store.select(store.selection, [...selected]);
  }, []);

  const onConnect = useCallback((c: Connection) => {
    editorStore.getState().wire(c.source, c.target);
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(LAYER_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    // The edge under the pointer shows what splicing the dragged layer into it would do.
    paletteDragStore.getState().set({ edge: edgeAt(e.clientX, e.clientY) });
  }, []);

  const onDragLeave = useCallback((e: DragEvent) => {
    if (!container.current?.contains(e.relatedTarget as Node | null))
      paletteDragStore.getState().set({ edge: null });
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(LAYER_MIME);
      paletteDragStore.getState().set({ type: null, edge: null });
      if (type === '') return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const position = { x: at.x - NODE_WIDTH / 2, y: at.y - 24 };
      const store = editorStore.getState();
      // Dropped on an edge: spliced into it (A→B becomes A→new→B), else placed on its own.
      const edge = edgeAt(e.clientX, e.clientY);
      if (edge === null || store.spliceEdge(edge, type, position) === null)
        store.addNode(type, position);
    },
    [flow],
  );

  return (
    <div
      ref={container}
      className="canvas"
      data-testid="canvas"
      aria-busy={fitted !== fitRequest}
      onDragOver={onDragOver}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
    >
      <ReactFlow<LayerFlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        colorMode={theme}
        deleteKeyCode={null}
        onlyRenderVisibleElements={doc.nodes.length > VIRTUALIZE_ABOVE}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Meta', 'Control']}
        minZoom={0.1}
        maxZoom={2}
        snapToGrid
        snapGrid={[10, 10]}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
        <MiniMap<LayerFlowNode> pannable zoomable nodeColor={miniMapColor} />
        <Controls showInteractive={false} />
      </ReactFlow>
      {doc.nodes.length > 0 && <HeatmapControl />}
      {doc.nodes.length === 0 && (
        <div className="canvas__empty">
          <h2>Start a network</h2>
          <p>Drag layers from the palette onto the canvas and connect their handles,</p>
          <p>
            or open a ready-made network from <strong>Templates</strong>.
          </p>
        </div>
      )}
    </div>
  );
}
