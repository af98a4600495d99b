import '../styles/blocks.css';
import { useShallow } from 'zustand/react/shallow';
import type { NodeAnalysis } from '../../src/core/analysis/analyze';
import { formatShape } from '../../src/core/shape';
import { fieldText } from '../flow/nodeText';
import { editorStore, useEditor } from '../store/useEditor';
import { blockViewStore, useBlockView } from './blockViewStore';

interface InnerRow {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly shape: string;
  readonly rf: string | null;
  readonly failed: boolean;
}

function rowOf(n: NodeAnalysis): InnerRow {
  return {
    id: n.id,
    name: n.id.slice(n.id.indexOf('/') + 1),
    type: n.type,
    shape: n.outputShape ? formatShape(n.outputShape) : '?',
    rf: fieldText(n.receptiveField),
    failed: n.diagnostics.some((d) => d.severity === 'error'),
  };
}

/** A block's inner layers, in order (empty for a primitive). */
function useInnerRows(block: string): readonly InnerRow[] {
  const nodes = useEditor(
    useShallow((s) =>
      (s.analysis.nodes.get(block)?.children ?? []).map((id) => s.analysis.nodes.get(id)),
    ),
  );
  return nodes.flatMap((n) => (n === undefined ? [] : [rowOf(n)]));
}

/** How many inner layers a block has (0: not a block, or not analysable yet). */
export function useInnerCount(block: string): number {
  return useEditor((s) => s.analysis.nodes.get(block)?.children.length ?? 0);
}

/**
 * The canvas node's ▸/▾ toggle and, open, its inner layers in place — a list beside the node,
 * so the nodes around it stay where they are: each a button that shows that layer in the
 * Inspector (numbers, receptive field on the input, Explain).
 */
export function BlockInside({ block }: { block: string }) {
  const count = useInnerCount(block);
  const open = useBlockView((s) => s.expanded.has(block));
  if (count === 0) return null;
  return (
    <div className="block-inside nodrag">
      <button
        type="button"
        className="block-inside__toggle"
        data-testid={`block-expand-${block}`}
        aria-expanded={open}
        title={open ? 'Fold the block' : 'Open the block in place: its inner layers'}
        onClick={(e) => {
          e.stopPropagation();
          // Opened, the block is selected: React Flow raises it, so its list is drawn on top.
          if (!open) editorStore.getState().select([block]);
          blockViewStore.getState().toggle(block);
        }}
      >
        {open ? '▾' : '▸'} {count} layers inside
      </button>
      {open && <InnerList block={block} floating />}
    </div>
  );
}

/** The inner layers as buttons (the canvas node and the Inspector's "Inside this block"). */
export function InnerList({ block, floating = false }: { block: string; floating?: boolean }) {
  const rows = useInnerRows(block);
  const focused = useBlockView((s) => s.focused);
  return (
    <ol
      className={`block-inside__list${floating ? ' block-inside__list--float' : ''}`}
      aria-label={`Layers inside ${block}`}
    >
      {rows.map((r) => (
        <li key={r.id}>
          <button
            type="button"
            className={`block-inside__row${focused === r.id ? ' is-focused' : ''}${r.failed ? ' has-error' : ''}`}
            data-testid={`block-inner-${r.id}`}
            aria-pressed={focused === r.id}
            title={`${r.type} "${r.id}": show its numbers, receptive field and explanation`}
            onClick={(e) => {
              e.stopPropagation();
              blockViewStore.getState().focus(r.id);
            }}
          >
            <span className="block-inside__type">{r.type}</span>
            <span className="block-inside__name">{r.name}</span>
            <span className="block-inside__shape">{r.shape}</span>
            {r.rf !== null && <span className="block-inside__rf">RF {r.rf}</span>}
          </button>
        </li>
      ))}
    </ol>
  );
}
