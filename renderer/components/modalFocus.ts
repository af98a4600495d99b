const FOCUSABLE =
  'button:not(:disabled), a[href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog's ref callback (React 19 runs the function it returns when the dialog goes):
 * moves the focus into the dialog, keeps Tab and Shift+Tab cycling inside it, and gives the focus
 * back to what had it (the button that opened it) when the dialog closes, as the ARIA dialog
 * pattern asks.
 */
export function modalFocus(dialog: HTMLElement | null): (() => void) | undefined {
  if (dialog === null) return undefined;
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  dialog.focus();
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Tab') return;
    const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items.at(-1);
    if (first === undefined || last === undefined) return;
    const at = document.activeElement;
    if (e.shiftKey && (at === first || at === dialog)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && at === last) {
      e.preventDefault();
      first.focus();
    }
  };
  dialog.addEventListener('keydown', onKey);
  return () => {
    dialog.removeEventListener('keydown', onKey);
    if (before?.isConnected) before.focus();
  };
}
