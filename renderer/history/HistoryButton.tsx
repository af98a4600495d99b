import { useState } from 'react';
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
      {open && <HistoryDialog onClose={() => setOpen(false)} />}
    </>
  );
}
