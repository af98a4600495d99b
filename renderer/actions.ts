import { openFile, save } from './files/fileActions';
import { editorStore } from './store/useEditor';
import { uiStore } from './store/uiStore';

/** One editor command: what it is called, its keys, and what it does (Excalidraw-style). */
export interface Action {
  readonly id: string;
  readonly label: string;
  /** `Mod` is Ctrl (Cmd on macOS); shown in the help overlay and matched on keydown. */
  readonly keys: readonly string[];
  readonly perform: () => void;
  /**
   * The browser's own clipboard event carries it (renderer/clipboard/systemClipboard.ts): the
   * keydown is left alone so that the `copy`/`cut`/`paste` event fires; listed for the overlay.
   */
  readonly native?: true;
}

const editor = () => editorStore.getState();

/** A clipboard command: the keys fire the browser's event; `perform` asks the browser for it too. */
function clipboard(command: 'copy' | 'cut' | 'paste'): Pick<Action, 'perform' | 'native'> {
  // Where the browser allows execCommand (Electron), this fires the same event as the keys.
  return { native: true, perform: () => void document.execCommand(command) };
}

/** Every keyboard command, in the order the help overlay lists them. */
export const ACTIONS: readonly Action[] = [
  { id: 'new', label: 'New network', keys: ['Mod+Alt+N'], perform: () => editor().newDocument() },
  { id: 'open', label: 'Open…', keys: ['Mod+O'], perform: () => void openFile() },
  { id: 'save', label: 'Save', keys: ['Mod+S'], perform: () => void save(false) },
  { id: 'saveAs', label: 'Save as…', keys: ['Mod+Shift+S'], perform: () => void save(true) },
  {
    id: 'templates',
    label: 'Templates',
    keys: ['Mod+Shift+O'],
    perform: () => uiStore.getState().set({ templatesOpen: true }),
  },
  { id: 'undo', label: 'Undo', keys: ['Mod+Z'], perform: () => editor().undo() },
  { id: 'redo', label: 'Redo', keys: ['Mod+Shift+Z', 'Mod+Y'], perform: () => editor().redo() },
  {
    id: 'copy',
    label: 'Copy (as JSON on the system clipboard)',
    keys: ['Mod+C'],
    ...clipboard('copy'),
  },
  { id: 'cut', label: 'Cut', keys: ['Mod+X'], ...clipboard('cut') },
  {
    id: 'paste',
    label: 'Paste (nodes copied here or JSON)',
    keys: ['Mod+V'],
    ...clipboard('paste'),
  },
  {
    id: 'duplicate',
    label: 'Duplicate',
    keys: ['Mod+D'],
    perform: () => editor().duplicateSelection(),
  },
  {
    id: 'delete',
    label: 'Delete selection',
    keys: ['Delete', 'Backspace'],
    perform: () => editor().deleteSelection(),
  },
  { id: 'selectAll', label: 'Select all', keys: ['Mod+A'], perform: () => editor().selectAll() },
  {
    id: 'findLayer',
    label: 'Find a layer (then ↑↓, Enter adds it after the selection)',
    keys: ['Mod+K'],
    perform: () => focusFirst('[data-testid="palette-search"]'),
  },
  {
    id: 'editParams',
    label: "Edit the selected node's parameters (Tab to the next field)",
    keys: ['Enter'],
    perform: () => focusFirst('[data-testid="inspector"] [data-testid^="param-"]'),
  },
  {
    id: 'selectNext',
    label: 'Select the next node along the edges',
    keys: ['ArrowDown'],
    perform: () => editor().selectAlong('next'),
  },
  {
    id: 'selectPrevious',
    label: 'Select the previous node (its input)',
    keys: ['ArrowUp'],
    perform: () => editor().selectAlong('previous'),
  },
  {
    id: 'selectSibling',
    label: 'Select the neighbouring branch',
    keys: ['ArrowRight', 'ArrowLeft'],
    perform: () => editor().selectAlong('sibling-next'),
  },
  { id: 'layout', label: 'Auto-layout', keys: ['Mod+Shift+L'], perform: () => editor().layout() },
  { id: 'fit', label: 'Fit view', keys: ['Shift+1'], perform: () => editor().requestFit() },
  {
    id: 'help',
    label: 'Keyboard shortcuts',
    keys: ['?'],
    perform: () => uiStore.getState().set({ helpOpen: true }),
  },
  {
    id: 'escape',
    label: 'Close dialog / clear selection',
    keys: ['Escape'],
    perform: () => {
      const ui = uiStore.getState();
      if (ui.helpOpen || ui.templatesOpen) ui.set({ helpOpen: false, templatesOpen: false });
      else editor().select([]);
    },
  },
];

/** Focuses (and selects the text of) the first element matching `selector`, once React has drawn it. */
function focusFirst(selector: string): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>(selector);
    el?.focus();
    if (el instanceof HTMLInputElement) el.select();
  });
}

/**
 * True when the focused element answers this key itself, so no shortcut may take it: Enter or
 * Space on a button, link or tab; arrows on a canvas node (React Flow moves it), a tab list, a
 * slider or a scrollable region (the summary table); Enter and arrows anywhere in a modal dialog.
 */
export function keyOwnedBy(
  target: { closest?: (selector: string) => unknown } | null,
  combo: string,
): boolean {
  const within = (selector: string) =>
    typeof target?.closest === 'function' && target.closest(selector) !== null;
  // Inside an open dialog the editor's keys are off: arrows scroll it, Enter presses its buttons.
  if (combo === 'Enter' || /^Arrow/.test(combo)) {
    if (within('[aria-modal="true"]')) return true;
  }
  if (combo === 'Enter' || combo === ' ')
    return within(
      'button, a[href], summary, [role="button"], [role="tab"], [role="option"], [role="checkbox"], [role="switch"]',
    );
  if (/^Arrow/.test(combo))
    return within(
      '.react-flow__node, [role="tablist"], [role="slider"], [role="radiogroup"], [role="listbox"], [role="menu"], [role="region"]',
    );
  return false;
}

/** The key combination of a keyboard event, written as in ACTIONS (`Mod+Shift+Z`). */
export function comboOf(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey' | 'code'>,
): string {
  const parts: string[] = [];
  if (e.ctrlKey || e.metaKey) parts.push('Mod');
  if (e.altKey) parts.push('Alt');
  // '?' is itself a shifted key: match it as typed.
  if (e.shiftKey && e.key !== '?') parts.push('Shift');
  const key = /^Digit\d$/.test(e.code)
    ? e.code.slice(5)
    : e.key.length === 1
      ? e.key.toUpperCase()
      : e.key;
  parts.push(key === '?' ? '?' : key);
  return parts.join('+');
}

/** The action bound to a key combination, if any. */
export function actionFor(combo: string): Action | undefined {
  return ACTIONS.find((a) => a.keys.includes(combo));
}

const ARROWS: Readonly<Record<string, string>> = { Up: '↑', Down: '↓', Left: '←', Right: '→' };

/** How a combo reads on this platform: ⌘⇧Z on macOS, Ctrl+Shift+Z elsewhere. */
export function keyLabel(
  combo: string,
  mac = /Mac/.test(globalThis.navigator?.platform ?? ''),
): string {
  const arrows = combo.replace(/Arrow(Up|Down|Left|Right)/, (_, d: string) => ARROWS[d] ?? d);
  if (!mac) return arrows.replace('Mod', 'Ctrl');
  return arrows.replace('Mod+', '⌘').replace('Shift+', '⇧').replace('Alt+', '⌥');
}
