import {
  COMPARE_EXTENSION,
  compareDocumentJson,
  parseCompareJson,
} from '../../src/core/compare/compareDocument';
import { getEngine } from '../api/engine';
import { baseName, hostInfo } from '../api/hostInfo';
import { editorStore } from '../store/useEditor';
import { uiStore } from '../store/uiStore';
import { compareStore } from './compareStore';
import { downloadText, fileSlug } from '../files/download';

// Opening and saving comparisons the way graphs are (renderer/files/fileActions.ts): the host's
// native dialogs on the desktop; in the browser a file input to open and a download to save.

let fileInput: HTMLInputElement | null = null;

/** The compare view's hidden `<input type=file>`. */
export function registerCompareInput(input: HTMLInputElement | null): void {
  fileInput = input;
}

const notify = (kind: 'error' | 'info', text: string) => editorStore.getState().notify(kind, text);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Opens comparison text into the compare view; a malformed file opens nothing and says why
 * (naming the field and variant), leaving the current comparison untouched.
 */
export function openComparisonText(text: string, name: string, path: string | null): boolean {
  if (compareStore.getState().training) {
    notify('error', `Cannot open ${name} while Train all runs: stop it first.`);
    return false;
  }
  const outcome = parseCompareJson(text);
  if (!outcome.ok) {
    notify('error', `Cannot open ${name}: ${outcome.error}. The current comparison is unchanged.`);
    return false;
  }
  if (!mayDiscardResults(name)) return false;
  compareStore.getState().load(outcome.doc, { name, path });
  uiStore.getState().set({ view: 'compare', templatesOpen: false });
  return true;
}

/**
 * Trained results cost minutes and cannot be undone once replaced: when the open comparison
 * has unsaved ones, ask first (the browser's own dialog; hosts without one just proceed).
 */
function mayDiscardResults(name: string): boolean {
  const { dirty, doc, file } = compareStore.getState();
  if (!dirty || !doc.variants.some((v) => v.result !== undefined)) return true;
  const ask = globalThis.confirm as ((message: string) => boolean) | undefined;
  return (
    ask?.(
      `"${file.name}" has training results that are not saved. Open ${name} and discard them?`,
    ) ?? true
  );
}

export async function openComparison(): Promise<void> {
  try {
    if ((await hostInfo()).fileDialogs) {
      const file = await getEngine().files.open();
      if (file && 'files' in file)
        notify(
          'error',
          `${baseName(file.path)} is a model, not a comparison: open it with File › Open.`,
        );
      else if (file) openComparisonText(file.text, baseName(file.path), file.path);
      return;
    }
    fileInput?.click();
  } catch (error) {
    notify('error', `Cannot open the comparison: ${message(error)}`);
  }
}

export async function openChosenComparison(file: File): Promise<void> {
  openComparisonText(await file.text(), file.name, null);
}

/** A lesson from the gallery (`templates/lesson-*.nnb-compare.json`). */
export async function openLesson(file: string): Promise<void> {
  try {
    openComparisonText(await getEngine().templates.read(file), file, null);
  } catch (error) {
    notify('error', `Cannot open the lesson ${file}: ${message(error)}`);
  }
}

/** Saves the comparison with its results, so it reopens with its curves. */
export async function saveComparison(saveAs: boolean): Promise<void> {
  const s = compareStore.getState();
  const text = compareDocumentJson(s.doc);
  const suggested =
    s.file.name.endsWith(COMPARE_EXTENSION) && !s.file.name.startsWith('lesson-')
      ? s.file.name
      : `${slug(s.doc.title)}${COMPARE_EXTENSION}`;
  try {
    if ((await hostInfo()).fileDialogs) {
      const path = saveAs ? null : s.file.path;
      const saved = await getEngine().files.save(path, suggested, text);
      if (saved) done(baseName(saved.path), saved.path);
      return;
    }
    downloadText(suggested, text);
    done(suggested, null);
  } catch (error) {
    notify('error', `Could not save the comparison: ${message(error)}`);
  }
}

function done(name: string, path: string | null): void {
  compareStore.getState().markSaved({ name, path });
  notify('info', `Saved ${name}`);
}

const slug = (name: string) => fileSlug(name, 'comparison');
