import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { keyLabel, ACTIONS } from '../actions';
import { openCompareView } from '../compare/openCompareView';
import { openFile, openRecent, save } from '../files/fileActions';
import { HistoryButton } from '../history/HistoryButton';
import { readRecent } from '../files/recentFiles';
import { isDirty } from '../store/editorStore';
import { editorStore, useEditor } from '../store/useEditor';
import { uiStore, useUi } from '../store/uiStore';
import { TrainControls } from '../training/TrainControls';

const shortcut = (id: string) => {
  const keys = ACTIONS.find((a) => a.id === id)?.keys[0];
  return keys ? ` (${keyLabel(keys)})` : '';
};

/** The top bar: file, edit and view commands, the document title with its dirty marker, training. */
export function Toolbar() {
  const { name, dirty, canUndo, canRedo, layingOut } = useEditor(
    useShallow((s) => ({
      name: s.file.name,
      dirty: isDirty(s),
      canUndo: s.history.past.length > 0,
      canRedo: s.history.future.length > 0,
      layingOut: s.layingOut,
    })),
  );
  const theme = useUi((s) => s.theme);
  // The compare view has its own Open/Save/Train all; editing commands would act unseen.
  const editing = useUi((s) => s.view) === 'editor';
  const [recentOpen, setRecentOpen] = useState(false);
  const store = editorStore.getState();
  const recent = recentOpen ? readRecent() : [];
  return (
    <header className="toolbar">
      <div className="toolbar__brand">
        <span className="logo" aria-hidden>
          ◆
        </span>
        NN Builder
      </div>
      <div className="toolbar__group">
        {editing && (
          <button
            type="button"
            data-testid="file-new"
            title={`New${shortcut('new')}`}
            onClick={() => store.newDocument()}
          >
            New
          </button>
        )}
        <button
          type="button"
          data-testid="file-open"
          title={`Open${shortcut('open')}`}
          onClick={() => void openFile()}
        >
          Open
        </button>
        <div className="menu">
          <button
            type="button"
            className="menu__trigger"
            aria-label="Recent files"
            data-testid="file-recent"
            onClick={() => setRecentOpen(!recentOpen)}
            onBlur={() => setTimeout(() => setRecentOpen(false), 150)}
          >
            ▾
          </button>
          {recentOpen && (
            <div className="menu__list" role="menu">
              <div className="menu__title">Recent files</div>
              {recent.length === 0 && <div className="menu__empty">Nothing yet</div>}
              {recent.map((r) => (
                <button
                  key={`${r.path ?? ''}${r.name}${r.at}`}
                  type="button"
                  role="menuitem"
                  onMouseDown={() => void openRecent(r)}
                >
                  {r.name}
                  <span className="muted">{new Date(r.at).toLocaleString()}</span>
                </button>
              ))}
            </div>
          )}
        </div>
        {editing && (
          <>
            <button
              type="button"
              data-testid="file-save"
              title={`Save${shortcut('save')}`}
              onClick={() => void save(false)}
            >
              Save
            </button>
            <button
              type="button"
              data-testid="file-save-as"
              title={`Save as${shortcut('saveAs')}`}
              onClick={() => void save(true)}
            >
              Save as
            </button>
          </>
        )}
        <button
          type="button"
          data-testid="open-templates"
          title={`Templates${shortcut('templates')}`}
          onClick={() => uiStore.getState().set({ templatesOpen: true })}
        >
          Templates
        </button>
        <button
          type="button"
          data-testid="open-compare"
          title="Compare this graph with others side by side"
          onClick={openCompareView}
        >
          Compare
        </button>
        {editing && <HistoryButton />}
      </div>
      {editing ? (
        <>
          <div className="toolbar__group">
            <button
              type="button"
              data-testid="undo"
              disabled={!canUndo}
              title={`Undo${shortcut('undo')}`}
              onClick={() => store.undo()}
            >
              ↶
            </button>
            <button
              type="button"
              data-testid="redo"
              disabled={!canRedo}
              title={`Redo${shortcut('redo')}`}
              onClick={() => store.redo()}
            >
              ↷
            </button>
            <button
              type="button"
              data-testid="auto-layout"
              title={`Auto-layout${shortcut('layout')}`}
              aria-busy={layingOut}
              onClick={() => void store.layout()}
            >
              Layout
            </button>
            <button
              type="button"
              data-testid="fit-view"
              title={`Fit view${shortcut('fit')}`}
              onClick={() => store.requestFit()}
            >
              Fit
            </button>
          </div>
          <div
            className="toolbar__title"
            data-testid="document-title"
            title={dirty ? 'Unsaved changes' : 'Saved'}
          >
            {dirty && (
              <span className="dirty-dot" data-testid="dirty-marker" aria-label="unsaved changes">
                ●
              </span>
            )}
            {name}
          </div>
          <TrainControls />
        </>
      ) : (
        <div className="toolbar__title" />
      )}
      <div className="toolbar__group">
        <button
          type="button"
          aria-label="Toggle theme"
          title="Light / dark"
          onClick={() => uiStore.getState().set({ theme: theme === 'dark' ? 'light' : 'dark' })}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
        <button
          type="button"
          aria-label="Keyboard shortcuts"
          data-testid="help"
          title={`Keyboard shortcuts${shortcut('help')}`}
          onClick={() => uiStore.getState().set({ helpOpen: true })}
        >
          ?
        </button>
      </div>
    </header>
  );
}
