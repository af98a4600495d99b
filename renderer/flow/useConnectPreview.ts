import { useConnection, type ConnectionState } from '@xyflow/react';
import type { EditPreview } from '../../src/core/analysis/connectPreview';
import { useEditor } from '../store/useEditor';
import { connectPreviewFor } from './editPreviews';

/** A node's part in a wire being dragged from an output handle. */
export interface WireRole {
  /** `source`: the wire starts here; `candidate` / `dimmed`: it would work / would not here. */
  readonly role: 'source' | 'candidate' | 'dimmed' | null;
  /** What dropping the wire here would do; null for the source and for nodes taking no input. */
  readonly preview: EditPreview | null;
  /** The pointer is at this node's input handle: a drop lands here. */
  readonly over: boolean;
}

// Module level, so React Flow's store hands back a string and only its change re-renders.
const wireFrom = (c: ConnectionState): string | null =>
  c.inProgress && c.fromHandle.type === 'source' ? c.fromNode.id : null;

/** The node's preview while a wire is dragged (React Flow's connection state, the store's graph). */
export function useConnectPreview(id: string, takesInput: boolean): WireRole {
  const from = useConnection(wireFrom);
  const over = useConnection((c) => c.inProgress && c.toNode?.id === id);
  const preview = useEditor((s) =>
    from === null || from === id || !takesInput
      ? null
      : connectPreviewFor(s.doc, s.analysis, from, id),
  );
  if (from === null) return { role: null, preview: null, over: false };
  if (from === id) return { role: 'source', preview: null, over: false };
  return { role: preview?.compatible === true ? 'candidate' : 'dimmed', preview, over };
}
