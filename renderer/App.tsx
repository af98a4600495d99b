import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { actionFor, comboOf, keyOwnedBy } from './actions';
import { Canvas } from './components/Canvas';
import { DiagnosticsPanel } from './components/DiagnosticsPanel';
import { Inspector } from './components/Inspector';
import { NoticeToast } from './components/NoticeToast';
import { Palette } from './components/Palette';
import { ShortcutsOverlay } from './components/ShortcutsOverlay';
import { StatusBar } from './components/StatusBar';
import { SummaryPanel } from './components/SummaryPanel';
import { TemplatesDialog } from './components/TemplatesDialog';
import { Toolbar } from './components/Toolbar';
import { openChosenFiles, registerFileInput } from './files/fileActions';
import { useFileDrop } from './files/useFileDrop';
import { listenToClipboard } from './clipboard/systemClipboard';
import { editorStore } from './store/useEditor';
import { uiStore, useUi } from './store/uiStore';
import { TrainingPanel } from './training/TrainingPanel';
import { CompareView } from './compare/CompareView';
import { saveComparison } from './compare/compareFiles';
import { InspectPanel } from './inspect/InspectPanel';

/** Typing in a field keeps its own keys (Ctrl+Z undoes text there); these still work. */
const TAB_LABELS = { summary: 'Summary', training: 'Training', inspect: 'Inspect' } as const;

/** Keyboard commands that also work in the compare view (the rest edit the hidden graph). */
const COMPARE_ACTIONS = new Set(['open', 'templates', 'help', 'escape']);

const GLOBAL_IN_FIELDS = new Set(['Mod+S', 'Mod+Shift+S', 'Mod+O', 'Mod+K', 'Escape']);

function isField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

export function App({ hostLabel }: { hostLabel: string }) {
  const theme = useUi((s) => s.theme);
  const tab = useUi((s) => s.bottomTab);
  const view = useUi((s) => s.view);
  // A model file (.onnx, Keras model.json + .bin) or a graph file dropped anywhere opens.
  useFileDrop();

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const combo = comboOf(e);
      if (isField(e.target) && !GLOBAL_IN_FIELDS.has(combo)) return;
      // Enter on a button presses it; arrows on a focused canvas node move it.
      if (keyOwnedBy(e.target as Element | null, combo)) return;
      const action = actionFor(combo);
      // Copy, cut and paste arrive as the browser's clipboard events (listenToClipboard below).
      if (!action || action.native) return;
      // The compare view takes only the commands that make sense there; Save saves it.
      if (uiStore.getState().view === 'compare') {
        if (action.id === 'save' || action.id === 'saveAs') {
          e.preventDefault();
          void saveComparison(action.id === 'saveAs');
          return;
        }
        if (!COMPARE_ACTIONS.has(action.id)) return;
      }
      e.preventDefault();
      action.perform();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(
    () =>
      listenToClipboard(document, {
        editor: editorStore,
        editorShown: () => uiStore.getState().view === 'editor',
        textSelected: () => !(window.getSelection()?.isCollapsed ?? true),
      }),
    [],
  );

  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar />
        {view === 'compare' ? (
          <CompareView />
        ) : (
          <div className="workspace">
            <Palette />
            <main className={`center${tab !== 'summary' ? ' center--training' : ''}`}>
              <Canvas />
              <section className="dock">
                <div className="dock__main">
                  <div className="tabs" role="tablist">
                    {(['summary', 'training', 'inspect'] as const).map((t) => (
                      <button
                        key={t}
                        type="button"
                        role="tab"
                        aria-selected={tab === t}
                        data-testid={`tab-${t}`}
                        className={tab === t ? 'is-active' : ''}
                        onClick={() => uiStore.getState().set({ bottomTab: t })}
                      >
                        {TAB_LABELS[t]}
                      </button>
                    ))}
                  </div>
                  {tab === 'summary' && <SummaryPanel />}
                  {tab === 'training' && <TrainingPanel />}
                  {tab === 'inspect' && <InspectPanel />}
                </div>
                {/* Training needs the width; the status bar still counts problems meanwhile. */}
                {tab === 'summary' && <DiagnosticsPanel />}
              </section>
            </main>
            <Inspector />
          </div>
        )}
        <StatusBar hostLabel={hostLabel} />
        <NoticeToast />
        <TemplatesDialog />
        <ShortcutsOverlay />
        <input
          ref={registerFileInput}
          type="file"
          accept=".json,.nnb.json,.nnb-compare.json,application/json,.onnx,.bin"
          multiple
          hidden
          data-testid="open-file-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length > 0) void openChosenFiles(files);
          }}
        />
      </div>
    </ReactFlowProvider>
  );
}
