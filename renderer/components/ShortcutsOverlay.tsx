import { ACTIONS, keyLabel } from '../actions';
import { uiStore, useUi } from '../store/uiStore';
import { modalFocus } from './modalFocus';

/** The keyboard shortcuts, listed from the same registry that handles the keys. */
export function ShortcutsOverlay() {
  const open = useUi((s) => s.helpOpen);
  if (!open) return null;
  const close = () => uiStore.getState().set({ helpOpen: false });
  return (
    <div className="modal-backdrop" onMouseDown={close}>
      <div
        className="modal shortcuts"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        tabIndex={-1}
        ref={modalFocus}
        onMouseDown={(e) => e.stopPropagation()}
      >
        <div className="modal__head">
          <h2>Keyboard shortcuts</h2>
          <button type="button" className="icon-button" aria-label="Close" onClick={close}>
            ✕
          </button>
        </div>
        <table>
          <tbody>
            {ACTIONS.map((a) => (
              <tr key={a.id}>
                <td>{a.label}</td>
                <td>
                  {a.keys.map((k) => (
                    <kbd key={k}>{keyLabel(k)}</kbd>
                  ))}
                </td>
              </tr>
            ))}
            <tr>
              <td>Multi-select</td>
              <td>
                <kbd>Shift</kbd> drag, <kbd>{keyLabel('Mod')}</kbd> click
              </td>
            </tr>
          </tbody>
        </table>
      </div>
    </div>
  );
}
