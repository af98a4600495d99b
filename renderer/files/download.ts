/** Saves a blob as a file through the browser's download (web mode without a save dialog). */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // The download has started by then; the object URL only has to outlive the click.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves text as a file (JSON unless `type` says otherwise, e.g. `text/csv`). */
export function downloadText(name: string, text: string, type = 'application/json'): void {
  downloadBlob(name, new Blob([text], { type }));
}

/** A file-name stem from a title: `LeNet 5 (mine)` → `lenet-5-mine`; `fallback` when empty. */
export function fileSlug(name: string, fallback: string): string {
  return (
    name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || fallback
  );
}
