import { parseGraphJson } from '../../src/core/graph/parseGraph';
import { getEngine } from '../api/engine';
import { baseName, hostInfo } from '../api/hostInfo';
import { editorStore } from '../store/useEditor';
import { addRecent, type RecentFile } from './recentFiles';
import { COMPARE_FORMAT } from '../../src/core/compare/compareDocument';
import { openComparisonText } from '../compare/compareFiles';
import { downloadText, fileSlug } from './download';
import { importModelFiles } from './modelImport';

// The File System Access API (Chromium): not in TypeScript's DOM library yet.
interface FileHandle {
  readonly name: string;
  getFile(): Promise<File>;
  createWritable(): Promise<{ write(text: string): Promise<void>; close(): Promise<void> }>;
}
interface PickerWindow {
  showOpenFilePicker?: (options: object) => Promise<FileHandle[]>;
  showSaveFilePicker?: (options: object) => Promise<FileHandle>;
}
const pickerTypes = {
  types: [
    { description: 'NN Builder graph', accept: { 'application/json': ['.nnb.json', '.json'] } },
    {
      description: 'ONNX or Keras model (model.json with its .bin files)',
      accept: { 'application/octet-stream': ['.onnx', '.json', '.bin'] },
    },
  ],
  multiple: true,
};

/** Browser file handles by the key stored as the document's `path` (`handle:1`). */
const handles = new Map<string, FileHandle>();
let fileInput: HTMLInputElement | null = null;

/** The hidden `<input type=file>` the browser fallback clicks. */
export function registerFileInput(input: HTMLInputElement | null): void {
  fileInput = input;
}

const store = () => editorStore.getState();

/** True for JSON whose top-level "format" is the comparison format's. */
function isComparisonText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { format?: unknown }).format === COMPARE_FORMAT
    );
  } catch {
    return false;
  }
}

/**
 * Opens graph text: a malformed file opens nothing and says why (line/column or JSON path),
 * leaving the current work untouched.
 */
export function openText(text: string, name: string, path: string | null): boolean {
  // A saved comparison opened from File › Open goes to the compare view, not the editor.
  if (isComparisonText(text)) return openComparisonText(text, name, path);
  const outcome = parseGraphJson(text);
  if (!outcome.ok) {
    store().notify(
      'error',
      `Cannot open ${name}: ${outcome.error}. Your current work is unchanged.`,
    );
    return false;
  }
  store().load(outcome.graph, { name, path });
  addRecent({ name, path, text });
  return true;
}

/** File › Open: the host's dialog, the browser's file picker, or a plain file input. */
export async function openFile(): Promise<void> {
  try {
    if ((await hostInfo()).fileDialogs) {
      const file = await getEngine().files.open();
      if (file && 'files' in file) await importModelFiles(file.files.map(bytesFile));
      else if (file) openText(file.text, baseName(file.path), file.path);
      return;
    }
    const picker = (window as PickerWindow).showOpenFilePicker;
    if (picker) {
      const chosen = await picker(pickerTypes);
      const files = await Promise.all(chosen.map((h) => h.getFile()));
      if (await importModelFiles(files)) return;
      const [handle] = chosen;
      if (!handle) return;
      const key = keyFor(handle);
      openText(await (await handle.getFile()).text(), handle.name, key);
      return;
    }
    fileInput?.click();
  } catch (error) {
    if (isAbort(error)) return;
    store().notify('error', `Cannot open the file: ${message(error)}`);
  }
}

/** The browser fallback's input changed: read the chosen file. */
export async function openChosenFile(file: File): Promise<void> {
  openText(await file.text(), file.name, null);
}

/** Files chosen or dropped together: a model to import (.onnx, model.json + .bin), else a graph. */
export async function openChosenFiles(files: readonly File[]): Promise<void> {
  try {
    if (await importModelFiles(files)) return;
    const [file] = files;
    if (file) await openChosenFile(file);
  } catch (error) {
    store().notify('error', `Cannot open the file: ${message(error)}`);
  }
}

/** File › Save (or Save as): to the file's own place when it has one, else ask. */
export async function save(saveAs: boolean): Promise<void> {
  const s = store();
  const text = `${JSON.stringify(s.doc, null, 2)}\n`;
  const suggested = s.file.name.endsWith('.nnb.json')
    ? s.file.name
    : `${slug(s.doc.name ?? s.file.name)}.nnb.json`;
  const done = (name: string, path: string | null) => {
    store().markSaved({ name, path });
    addRecent({ name, path, text });
    store().notify('info', `Saved ${name}`);
  };
  try {
    if ((await hostInfo()).fileDialogs) {
      const saved = await getEngine().files.save(saveAs ? null : s.file.path, suggested, text);
      if (saved) done(baseName(saved.path), saved.path);
      return;
    }
    const existing = !saveAs && s.file.path ? handles.get(s.file.path) : undefined;
    const picker = (window as PickerWindow).showSaveFilePicker;
    const handle =
      existing ?? (picker ? await picker({ ...pickerTypes, suggestedName: suggested }) : undefined);
    if (handle) {
      const writable = await handle.createWritable();
      await writable.write(text);
      await writable.close();
      done(handle.name, keyFor(handle));
      return;
    }
    downloadText(suggested, text);
    done(suggested, null);
  } catch (error) {
    if (isAbort(error)) return;
    store().notify('error', `Could not save: ${message(error)}`);
  }
}

export async function openTemplate(file: string): Promise<void> {
  try {
    openText(await getEngine().templates.read(file), file, null);
  } catch (error) {
    store().notify('error', `Cannot open the template ${file}: ${message(error)}`);
  }
}

export async function openRecent(entry: RecentFile): Promise<void> {
  try {
    if (entry.path !== null && entry.path.startsWith('handle:')) {
      const handle = handles.get(entry.path);
      if (handle) openText(await (await handle.getFile()).text(), entry.name, entry.path);
      else if (entry.text !== undefined) openText(entry.text, entry.name, null);
      return;
    }
    if (entry.path !== null) {
      const file = await getEngine().files.read(entry.path);
      openText(file.text, entry.name, file.path);
      return;
    }
    if (entry.text !== undefined) openText(entry.text, entry.name, null);
  } catch (error) {
    store().notify('error', `Cannot reopen ${entry.name}: ${message(error)}`);
  }
}

/** A model file the host's dialog read, as the File a drop would give. */
function bytesFile(f: { name: string; data: string }): File {
  const binary = atob(f.data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new File([bytes], f.name);
}

let handleCount = 0;
function keyFor(handle: FileHandle): string {
  for (const [key, h] of handles) if (h === handle) return key;
  const key = `handle:${++handleCount}`;
  handles.set(key, handle);
  return key;
}

const slug = (name: string) => fileSlug(name, 'network');
const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
