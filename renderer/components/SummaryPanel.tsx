import { useLayoutEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { NodeAnalysis } from '../../src/core/analysis/analyze';
import { formatBytes, formatCount } from '../../src/core/format/numbers';
import { scaled } from '../../src/core/format/summaryTable';
import { formatShape } from '../../src/core/shape';
import { fieldText } from '../flow/nodeText';
import { editorStore, useEditor } from '../store/useEditor';

/** Row height in px; fixed (see .summary__table td) so the visible window can be computed. */
const ROW_HEIGHT = 23;
const OVERSCAN = 8;

/** The torchinfo-style table, live: one row per layer (blocks expandable), totals underneath. */
export function SummaryPanel() {
  const { analysis, selection } = useEditor(
    useShallow((s) => ({ analysis: s.analysis, selection: s.selection })),
  );
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  // Only the rows in view are rendered: a 500-layer table stays as cheap as a 20-layer one.
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 400 });
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() =>
      setView({ top: el.scrollTop, height: el.clientHeight }),
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const t = analysis.totals;
  const rows: { node: NodeAnalysis; depth: number }[] = [];
  for (const id of analysis.order) {
    const node = analysis.nodes.get(id);
    if (node === undefined) continue;
    rows.push({ node, depth: 0 });
    if (open.has(id))
      for (const child of node.children) {
        const c = analysis.nodes.get(child);
        if (c) rows.push({ node: c, depth: 1 });
      }
  }
  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  const toggle = (id: string) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };
  return (
    <div className="summary">
      <div
        className="summary__scroll"
        // Focusable so the keyboard can scroll a table longer than the panel.
        tabIndex={0}
        role="region"
        aria-label="Layer summary"
        ref={scroller}
        onScroll={(e) =>
          setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })
        }
      >
        <table className="summary__table" data-testid="summary-table">
          <thead>
            <tr>
              <th>Layer (type)</th>
              <th>Output shape</th>
              <th className="num">Params</th>
              <th className="num">MACs</th>
              <th className="num">RF</th>
              <th className="num">Activations</th>
            </tr>
          </thead>
          <tbody>
            {first > 0 && <tr style={{ height: first * ROW_HEIGHT }} aria-hidden />}
            {rows.slice(first, last).map(({ node: n, depth }) => {
              const known = n.outputShape !== null;
              const name = n.parent ? n.id.slice(n.parent.length + 1) : n.id;
              return (
                <tr
                  key={n.id}
                  className={`${depth ? 'is-child' : ''}${selection.includes(n.id) ? ' is-selected' : ''}${n.diagnostics.some((d) => d.severity === 'error') ? ' is-error' : ''}`}
                  onClick={() => depth === 0 && editorStore.getState().select([n.id])}
                >
                  <td>
                    {n.children.length > 0 ? (
                      <button
                        type="button"
                        className="link-button tree-toggle"
                        aria-label={open.has(n.id) ? 'Collapse block' : 'Expand block'}
                        onClick={(e) => {
                          e.stopPropagation();
                          toggle(n.id);
                        }}
                      >
                        {open.has(n.id) ? '▾' : '▸'}
                      </button>
                    ) : (
                      <span className="tree-spacer" />
                    )}
                    {depth > 0 && <span className="tree-indent">└</span>}
                    {name} <span className="muted">({n.type})</span>
                  </td>
                  <td className="mono">{known ? formatShape(n.outputShape ?? []) : '?'}</td>
                  <td className="num">{known || n.params ? formatCount(n.params) : '—'}</td>
                  <td className="num">{known || n.macs ? formatCount(n.macs) : '—'}</td>
                  <td className="num">{fieldText(n.receptiveField) ?? '—'}</td>
                  <td className="num">{known ? formatBytes(n.activationBytes) : '—'}</td>
                </tr>
              );
            })}
            {last < rows.length && (
              <tr style={{ height: (rows.length - last) * ROW_HEIGHT }} aria-hidden />
            )}
          </tbody>
        </table>
        {rows.length === 0 && <p className="muted summary__empty">No layers yet.</p>}
      </div>
      <dl className="summary__totals">
        <div>
          <dt>Total params</dt>
          <dd data-testid="summary-total-params">{formatCount(t.params)}</dd>
        </div>
        <div>
          <dt>Trainable</dt>
          <dd>{formatCount(t.trainableParams)}</dd>
        </div>
        <div>
          <dt>Non-trainable</dt>
          <dd>{formatCount(t.nonTrainableParams)}</dd>
        </div>
        <div>
          <dt>MACs</dt>
          <dd>
            <span data-testid="summary-total-macs">{formatCount(t.macs)}</span>
            {t.macs >= 1e6 && <span className="muted"> ({scaled(t.macs)})</span>}
          </dd>
        </div>
        <div
          title={`input ${formatBytes(t.inputBytes)} + activations ${formatBytes(t.activationBytes)} + params ${formatBytes(t.paramBytes)}, one sample, float32`}
        >
          <dt>Memory</dt>
          <dd>{formatBytes(t.inputBytes + t.activationBytes + t.paramBytes)}</dd>
        </div>
      </dl>
    </div>
  );
}
