import { createStore, type StoreApi } from 'zustand/vanilla';
import { analyze, type GraphAnalysis } from '../../src/core/analysis/analyze';
import { setBudget, type BudgetKind } from '../../src/core/budgets/budgets';
import type { Fix } from '../../src/core/diagnostics';
import {
  emptyGraph,
  type GraphDocument,
  type GraphNode,
  type ParamValue,
} from '../../src/core/graph/document';
import { addAfter } from '../../src/core/graph/addAfter';
import { alongEdges, type EdgeStep } from '../../src/core/graph/alongEdges';
import * as edits from '../../src/core/graph/edits';
import {
  copyFragment,
  duplicateNodes,
  pasteFragment,
  pasteOffset,
  type GraphFragment,
} from '../../src/core/graph/fragments';
import { wireInto } from '../../src/core/graph/wiring';
import { getDefinition } from '../../src/core/layers/registry';
import { edgeIndex } from '../flow/edgeIndex';
import type { Size } from '../flow/deriveFlow';
import { estimatedSize, stackUnplaced, type GraphLayout } from '../flow/graphLayout';
import { makeRoom } from '../flow/makeRoom';
import * as history from './history';
import type { FileIdentity, History, Snapshot } from './history';
import { layoutRuns, NO_ROUTES, type LayoutEngine } from './layoutRuns';

export type { LayoutEngine } from './layoutRuns';

export interface Notice {
  readonly id: number;
  readonly kind: 'error' | 'info';
  readonly text: string;
}

export interface EditorState {
  /** The source of truth: everything on screen is derived from it. */
  readonly doc: GraphDocument;
  /** `analyze(doc)`, recomputed synchronously on every edit that can change it. */
  readonly analysis: GraphAnalysis;
  readonly file: FileIdentity;
  readonly history: History;
  readonly selection: readonly string[];
  readonly selectedEdges: readonly string[];
  readonly notice: Notice | null;
  /** Bumped when the canvas should fit the graph in view (after open, layout, …). */
  readonly fitRequest: number;
  /** `all`: the whole graph however small; `readable`: zoom ≥ ~0.55, top-aligned when long. */
  readonly fitMode: 'all' | 'readable';
  /** The document before a drag began; the whole drag becomes one undo step. */
  readonly dragBase: Snapshot | null;
  /** True while an automatic layout is being computed (off the UI thread). */
  readonly layingOut: boolean;
  /**
   * Edge routes of the last automatic layout, by edge key. Not saved: an edge follows its route
   * while the route still meets both handles (ShapeEdge), and is a plain curve otherwise.
   */
  readonly edgeRoutes: GraphLayout['routes'];
}

export interface EditorActions {
  /** Opens a document; one without positions is laid out first (resolves once it is shown). */
  load(doc: GraphDocument, file: { name: string; path: string | null }): Promise<void>;
  newDocument(): void;
  /**
   * Puts `doc` on the canvas in place of the current document, as one undoable edit: the file
   * stays the same (so it is unsaved unless `doc` is what was saved). Opening an older version.
   */
  replaceDocument(doc: GraphDocument): void;
  /** Puts back an autosaved session: its document, file, dirty state and undo steps. */
  restoreSession(session: {
    doc: GraphDocument;
    file: { name: string; path: string | null };
    dirty: boolean;
    past: readonly GraphDocument[];
  }): void;
  addNode(type: string, at: edits.Position): string;
  /**
   * Adds a `type` layer after the one selected node and wires it (see addAfter: fed from it, or
   * spliced into its one outgoing edge), placed below it; with no single selection, unwired at
   * `fallback`. One undo step; the new node is selected. Returns its id.
   */
  addAfterSelection(type: string, fallback: edits.Position): string;
  connect(source: string, target: string): boolean;
  /**
   * A wire dropped from `source` onto `target`: connects them, or feeds a one-input node from
   * `source` instead of its old input (see wireInto), and selects the target; a refusal is shown
   * as a notice.
   */
  wire(source: string, target: string): boolean;
  /** Splices a new `type` node into edge `edgeKey` (A→B becomes A→new→B) at `at`; its id, or null. */
  spliceEdge(edgeKey: string, type: string, at: edits.Position): string | null;
  setParam(id: string, name: string, value: ParamValue | undefined): void;
  setTrainable(id: string, trainable: boolean): void;
  rename(id: string, next: string): string | undefined;
  setGraphInfo(info: { name?: string; description?: string }): void;
  /** Sets (a number) or clears (undefined) one of the document's budgets; typing coalesces. */
  setBudget(kind: BudgetKind, value: number | undefined): void;
  applyFix(fix: Fix): void;
  deleteSelection(): void;
  duplicateSelection(): void;
  /** The selected nodes and the edges among them (what renderer/clipboard puts on the clipboard). */
  copySelection(): GraphFragment | null;
  /** Pastes with fresh ids, offset so it never lands exactly on nodes already there; selects it. */
  paste(fragment: GraphFragment): void;
  /** Positions during a drag (no undo step) or at its end (`final`: one undo step). */
  moveNodes(positions: ReadonlyMap<string, edits.Position>, final: boolean): void;
  select(nodes: readonly string[], edges?: readonly string[]): void;
  selectAll(): void;
  /**
   * Moves a single selection one step along the edges (the arrow keys, see alongEdges); with
   * nothing selected, selects the first node. Stays put where the graph ends.
   */
  selectAlong(step: EdgeStep): void;
  undo(): void;
  redo(): void;
  /** Lays the graph out (async): one undo step; edits made meanwhile are kept. */
  layout(): Promise<void>;
  markSaved(file: { name: string; path: string | null }): void;
  notify(kind: Notice['kind'], text: string): void;
  dismissNotice(): void;
  requestFit(mode?: 'all' | 'readable'): void;
}

export type EditorStore = EditorState & EditorActions;

/** True when the document differs from what was last opened or saved. */
export const isDirty = (s: Pick<EditorState, 'doc' | 'file'>): boolean => s.doc !== s.file.savedDoc;

let noticeIds = 0;

/**
 * A fresh editor store; the app makes one, tests make one per case. Without a layout engine,
 * nodes lacking a position are stacked in one column and `layout()` does nothing.
 */
export function createEditorStore(
  initial: GraphDocument = emptyGraph(),
  options: {
    layoutEngine?: LayoutEngine;
    /** Nodes' drawn sizes, where measured: room is made for a spliced node by its real height. */
    nodeSize?: (id: string) => Size | undefined;
  } = {},
): StoreApi<EditorStore> {
  const doc = stackUnplaced(initial);
  const sizeOf = (node: GraphNode) => options.nodeSize?.(node.id) ?? estimatedSize(node);
  return createStore<EditorStore>()((set, get) => {
    /** Replaces the document, recording an undo step; analysis reruns unless only positions moved. */
    const commit = (
      next: GraphDocument,
      options: { coalesce?: string; layoutOnly?: boolean; selection?: readonly string[] } = {},
    ) => {
      const s = get();
      if (next === s.doc) return;
      set({
        doc: next,
        analysis: options.layoutOnly ? s.analysis : analyze(next),
        history: history.record(s.history, { doc: s.doc, file: s.file }, options.coalesce ?? null),
        ...(options.selection && { selection: options.selection, selectedEdges: [] }),
        // An error message (a refused connection, a bad file) is answered by the next edit.
        ...(s.notice?.kind === 'error' && { notice: null }),
        dragBase: null,
      });
    };
    const restore = (step: { snapshot: Snapshot; history: History } | undefined) => {
      if (step === undefined) return;
      const { doc: d, file } = step.snapshot;
      const ids = new Set(d.nodes.map((n) => n.id));
      set({
        doc: d,
        file,
        analysis: analyze(d),
        history: step.history,
        selection: get().selection.filter((id) => ids.has(id)),
        selectedEdges: [],
      });
    };
    const layouts = layoutRuns(options.layoutEngine, {
      doc: () => get().doc,
      setBusy: (layingOut) => set({ layingOut }),
      commitLayout: (next, edgeRoutes) => {
        commit(next, { layoutOnly: true });
        set({ edgeRoutes, fitRequest: get().fitRequest + 1, fitMode: 'readable' });
      },
      fail: (text) => get().notify('error', text),
    });
    return {
      doc,
      analysis: analyze(doc),
      file: { name: doc.name ? `${doc.name}` : 'Untitled', path: null, savedDoc: doc },
      history: history.EMPTY_HISTORY,
      selection: [],
      selectedEdges: [],
      notice: null,
      fitRequest: 0,
      fitMode: 'readable',
      dragBase: null,
      layingOut: false,
      edgeRoutes: NO_ROUTES,

      load(raw, file) {
        // Laid out first when it has no positions: it appears in place, in one history step.
        return layouts.open(raw, (next, edgeRoutes) => {
          const s = get();
          set({
            doc: next,
            analysis: analyze(next),
            file: { ...file, savedDoc: next },
            history: history.record(s.history, { doc: s.doc, file: s.file }, null),
            selection: [],
            selectedEdges: [],
            fitRequest: s.fitRequest + 1,
            layingOut: false,
            edgeRoutes,
          });
        });
      },
      restoreSession(session) {
        layouts.replaced();
        const next = stackUnplaced(session.doc);
        const file: FileIdentity = { ...session.file, savedDoc: session.dirty ? null : next };
        set({
          doc: next,
          analysis: analyze(next),
          file,
          history: { ...history.EMPTY_HISTORY, past: session.past.map((d) => ({ doc: d, file })) },
          selection: [],
          selectedEdges: [],
          fitRequest: get().fitRequest + 1,
          fitMode: 'readable',
          edgeRoutes: NO_ROUTES,
        });
      },
      replaceDocument(next) {
        commit(next, { selection: [] });
        set({ fitRequest: get().fitRequest + 1, fitMode: 'readable' });
      },
      newDocument() {
        get().load(emptyGraph(), { name: 'Untitled', path: null });
      },
      addNode(type, at) {
        const { graph, id } = edits.addNode(get().doc, type, at);
        commit(graph, { selection: [id] });
        return id;
      },
      addAfterSelection(type, fallback) {
        const s = get();
        const after =
          s.selection.length === 1 ? s.doc.nodes.find((n) => n.id === s.selection[0]) : undefined;
        const p = after && edits.nodePosition(after);
        const at = after && p ? { x: p.x, y: p.y + sizeOf(after).height + 56 } : fallback;
        const { graph, id, how } = addAfter(s.doc, after?.id, type, at);
        commit(how === 'spliced' ? makeRoom(graph, id, sizeOf) : graph, { selection: [id] });
        return id;
      },
      connect(source, target) {
        const outcome = edits.connect(get().doc, source, target);
        if (!outcome.ok) {
          get().notify('error', outcome.reason);
          return false;
        }
        commit(outcome.graph);
        return true;
      },
      wire(source, target) {
        const outcome = wireInto(get().doc, source, target);
        if (!outcome.ok) {
          get().notify('error', outcome.reason);
          return false;
        }
        // The target is selected: drawn above its neighbours (a new error makes it taller, its
        // fix button must not hide under the next node) and shown in the inspector.
        commit(outcome.graph, { selection: [target] });
        return true;
      },
      spliceEdge(key, type, at) {
        // A layer that takes no input (Input) cannot sit on an edge.
        if ((getDefinition(type)?.inputs.max ?? 0) === 0) return null;
        const { graph, id } = edits.spliceEdge(get().doc, edgeIndex(get().doc, key), type, at);
        if (id === null) return null;
        commit(makeRoom(graph, id, sizeOf), { selection: [id] });
        return id;
      },
      setParam(id, name, value) {
        commit(edits.setParam(get().doc, id, name, value), { coalesce: `param:${id}:${name}` });
      },
      setTrainable(id, trainable) {
        const doc = get().doc;
        commit({
          ...doc,
          nodes: doc.nodes.map((n) => {
            if (n.id !== id) return n;
            const { trainable: _t, ...rest } = n;
            return trainable ? rest : { ...rest, trainable: false };
          }),
        });
      },
      rename(id, next) {
        const outcome = edits.renameNode(get().doc, id, next);
        if (!outcome.ok) return outcome.reason;
        const name = next.trim();
        commit(outcome.graph, {
          selection: get().selection.map((s) => (s === id ? name : s)),
        });
        return undefined;
      },
      setGraphInfo(info) {
        const doc = get().doc;
        commit({ ...doc, ...info }, { coalesce: `info:${Object.keys(info).join(',')}` });
      },
      setBudget(kind, value) {
        commit(setBudget(get().doc, kind, value), { coalesce: `budget:${kind}` });
      },
      applyFix(fix) {
        const before = get().doc;
        const next = edits.applyFix(before, fix);
        // An inserted node gets room between its two neighbours.
        const added = next.nodes.length > before.nodes.length ? next.nodes.at(-1)?.id : undefined;
        commit(added === undefined ? next : makeRoom(next, added, sizeOf));
      },
      deleteSelection() {
        const s = get();
        if (s.selection.length === 0 && s.selectedEdges.length === 0) return;
        commit(edits.removeEdges(edits.removeNodes(s.doc, s.selection), s.selectedEdges), {
          selection: [],
        });
      },
      duplicateSelection() {
        const s = get();
        if (s.selection.length === 0) return;
        const { graph, ids } = duplicateNodes(s.doc, s.selection);
        commit(graph, { selection: ids });
      },
      copySelection() {
        const s = get();
        return s.selection.length === 0 ? null : copyFragment(s.doc, s.selection);
      },
      paste(fragment) {
        const s = get();
        if (fragment.nodes.length === 0) return;
        const offset = pasteOffset(s.doc, fragment, { x: 40, y: 40 });
        const { graph, ids } = pasteFragment(s.doc, fragment, offset);
        commit(graph, { selection: ids });
      },
      moveNodes(positions, final) {
        const s = get();
        const base = s.dragBase ?? { doc: s.doc, file: s.file };
        const moved = edits.moveNodes(s.doc, positions);
        if (!final) {
          set({ doc: moved, dragBase: base });
          return;
        }
        set({
          doc: moved,
          history: history.record(s.history, base, null),
          dragBase: null,
        });
      },
      select(nodes, edgeKeys = []) {
        set({ selection: nodes, selectedEdges: edgeKeys });
      },
      selectAll() {
        set({ selection: get().doc.nodes.map((n) => n.id), selectedEdges: [] });
      },
      selectAlong(step) {
        const s = get();
        const from = s.selection.length === 1 ? s.selection[0] : undefined;
        const to = from === undefined ? s.doc.nodes[0]?.id : alongEdges(s.doc, from, step);
        if (to !== undefined) set({ selection: [to], selectedEdges: [] });
      },
      undo() {
        const s = get();
        restore(history.undo(s.history, { doc: s.doc, file: s.file }));
      },
      redo() {
        const s = get();
        restore(history.redo(s.history, { doc: s.doc, file: s.file }));
      },
      layout() {
        return layouts.press();
      },
      markSaved(file) {
        const s = get();
        set({ file: { ...file, savedDoc: s.doc } });
      },
      notify(kind, text) {
        set({ notice: { id: ++noticeIds, kind, text } });
      },
      dismissNotice() {
        set({ notice: null });
      },
      requestFit(mode = 'all') {
        set({ fitRequest: get().fitRequest + 1, fitMode: mode });
      },
    };
  });
}
