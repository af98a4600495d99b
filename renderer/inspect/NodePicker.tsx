import { useMemo } from 'react';
import { useEditor } from '../store/useEditor';
import { inspectStore } from './inspectStore';

export interface NodeChoice {
  readonly id: string;
  readonly type: string;
  /** Nesting depth: inner nodes of blocks are indented under their block. */
  readonly depth: number;
}

/** Every node whose output can be shown: top-level nodes in order, blocks with their insides. */
export function useNodeChoices(): readonly NodeChoice[] {
  const analysis = useEditor((s) => s.analysis);
  return useMemo(() => {
    const out: NodeChoice[] = [];
    const visit = (id: string, depth: number) => {
      const node = analysis.nodes.get(id);
      if (node === undefined || node.outputShape === null) return;
      out.push({ id, type: node.type, depth });
      for (const child of node.children) visit(child, depth + 1);
    };
    for (const id of analysis.order) visit(id, 0);
    return out;
  }, [analysis]);
}

/** The node whose output is shown; follows the canvas selection until one is picked here. */
export function NodePicker({
  choices,
  value,
}: {
  choices: readonly NodeChoice[];
  value: string | null;
}) {
  return (
    <label className="inspect-toggle">
      node{' '}
      <select
        data-testid="inspect-node"
        value={value ?? ''}
        onChange={(e) => inspectStore.getState().set({ node: e.target.value })}
      >
        {choices.map((c) => (
          <option key={c.id} value={c.id}>
            {`${'\u00a0\u00a0'.repeat(c.depth)}${c.id} (${c.type})`}
          </option>
        ))}
      </select>
    </label>
  );
}
