import type { StoreApi } from 'zustand/vanilla';
import { fragmentFromText, fragmentToText } from '../../src/core/graph/fragmentText';
import type { EditorStore } from '../store/editorStore';

/**
 * Copy, cut and paste of nodes through the system clipboard. They ride on the browser's own
 * `copy`/`cut`/`paste` events (Ctrl/⌘+C/X/V, and Electron's Edit menu), so the clipboard holds
 * the fragment as plain text: another window of the app pastes it as nodes, a text editor as
 * readable JSON (src/core/graph/fragmentText.ts). Typing in a field and copying selected text
 * (a formula, a table row) stay the browser's job.
 */

/** The part of a ClipboardEvent these handlers use (a fake one in the unit tests). */
export interface ClipboardLike {
  readonly target: EventTarget | null;
  readonly clipboardData: Pick<DataTransfer, 'getData' | 'setData'> | null;
  preventDefault(): void;
}

export interface ClipboardContext {
  readonly editor: StoreApi<EditorStore>;
  /** False where the editor's graph is not on screen (the compare view). */
  readonly editorShown: () => boolean;
  /** True while the page has selected text of its own. */
  readonly textSelected: () => boolean;
}

function isField(target: EventTarget | null): boolean {
  const el = target as { isContentEditable?: boolean; tagName?: string } | null;
  return (
    el !== null &&
    typeof el === 'object' &&
    (el.isContentEditable === true || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName ?? ''))
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `copy` (and `cut`, which then deletes): the selected nodes as fragment text. True if it acted. */
export function copyNodes(event: ClipboardLike, ctx: ClipboardContext, cut = false): boolean {
  if (!ctx.editorShown() || isField(event.target) || ctx.textSelected()) return false;
  if (event.clipboardData === null) return false;
  const editor = ctx.editor.getState();
  const fragment = editor.copySelection();
  if (fragment === null) return false;
  event.clipboardData.setData('text/plain', fragmentToText(fragment));
  event.preventDefault();
  if (cut) editor.deleteSelection();
  const what = `${plural(fragment.nodes.length, 'node')} and ${plural(fragment.edges.length, 'edge')}`;
  editor.notify(
    'info',
    `${cut ? 'Cut' : 'Copied'} ${what} — paste them here, or as JSON in a text editor.`,
  );
  return true;
}

/** `paste`: fragment text becomes nodes (fresh ids, offset); other text is refused with a notice. */
export function pasteNodes(event: ClipboardLike, ctx: ClipboardContext): boolean {
  if (!ctx.editorShown() || isField(event.target) || event.clipboardData === null) return false;
  const editor = ctx.editor.getState();
  event.preventDefault();
  const outcome = fragmentFromText(event.clipboardData.getData('text/plain'));
  if (!outcome.ok) {
    editor.notify('error', `Nothing pasted. ${outcome.error}`);
    return true;
  }
  editor.paste(outcome.fragment);
  return true;
}

/** Listens for the page's clipboard events; returns the function that stops listening. */
export function listenToClipboard(target: EventTarget, ctx: ClipboardContext): () => void {
  const onCopy = (e: Event) => void copyNodes(e as ClipboardEvent, ctx);
  const onCut = (e: Event) => void copyNodes(e as ClipboardEvent, ctx, true);
  const onPaste = (e: Event) => void pasteNodes(e as ClipboardEvent, ctx);
  target.addEventListener('copy', onCopy);
  target.addEventListener('cut', onCut);
  target.addEventListener('paste', onPaste);
  return () => {
    target.removeEventListener('copy', onCopy);
    target.removeEventListener('cut', onCut);
    target.removeEventListener('paste', onPaste);
  };
}
