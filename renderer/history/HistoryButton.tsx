import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useHistory } from './historyStore';
import { HistoryDialog } from './HistoryDialog';

/** The toolbar's History button (with the number of versions kept) and the dialog it opens. */
export function HistoryButton() {
  const [open, setOpen] = useState(false);
  const count = useHistory((s) => s.history.versions.length);
  return (
    <>
      <button
        type="button"
        data-testid="history-open"
        title="Versions of this graph and the runs that trained them"
        onClick={() => setOpen(true)}
      >
        History{count > 0 ? ` · ${count}` : ''}
      </button>
      {/* Into the body: the toolbar's own layout would clip a fixed overlay inside it. */}
      {open && createPortal(<HistoryDialog onClose={() => setOpen(false)} />, document.body)}
    </>
  );
}
