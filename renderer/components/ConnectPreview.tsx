import type { EditPreview } from '../../src/core/analysis/connectPreview';
import { REFUSALS, withoutTitle } from '../flow/previewText';

/**
 * What dropping the wire being dragged onto this node would do, drawn over the node's body: the
 * output shape it would produce, or why it cannot work and the fix its error will offer.
 */
export function ConnectPreview({
  id,
  title,
  preview,
}: {
  id: string;
  /** `Type "id"`, as the analysis's messages name the node. */
  title: string;
  preview: EditPreview;
}) {
  const kind = preview.compatible ? 'is-ok' : preview.refusal ? 'is-refused' : 'is-bad';
  return (
    <div
      className={`connect-preview ${kind}`}
      data-testid={`connect-preview-${id}`}
      data-compatible={String(preview.compatible)}
      title={preview.text}
    >
      {preview.compatible ? (
        <>
          <span className="connect-preview__shape">→ {preview.text}</span>
          {preview.replaces !== null && (
            <span className="connect-preview__note">
              instead of <code>{preview.replaces}</code>
            </span>
          )}
        </>
      ) : preview.refusal ? (
        <span className="connect-preview__refusal">✕ {REFUSALS[preview.refusal]}</span>
      ) : (
        <>
          <span className="connect-preview__reason">{withoutTitle(preview.text, title)}</span>
          {preview.fix !== null && (
            <span className="connect-preview__fix">Fix: {preview.fix.description}</span>
          )}
        </>
      )}
    </div>
  );
}
