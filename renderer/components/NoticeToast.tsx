import { useEffect } from 'react';
import { editorStore, useEditor } from '../store/useEditor';

/** The latest message (refused connection, file errors, saved): errors stay until dismissed. */
export function NoticeToast() {
  const notice = useEditor((s) => s.notice);
  useEffect(() => {
    if (notice?.kind !== 'info') return;
    const t = setTimeout(() => editorStore.getState().dismissNotice(), 3000);
    return () => clearTimeout(t);
  }, [notice]);
  if (!notice) return null;
  return (
    <div
      className={`toast is-${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      data-testid="notice"
    >
      <span>{notice.text}</span>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss"
        onClick={() => editorStore.getState().dismissNotice()}
      >
        ✕
      </button>
    </div>
  );
}
