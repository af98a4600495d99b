/** The app's colours a canvas needs: canvases cannot read CSS variables, so they are resolved. */
export interface ChartTheme {
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  readonly panel: string;
  readonly font: string;
  readonly fontFamily: string;
}

/** A CSS colour as a canvas takes it: `var(--chart-train)` → `#4c8dff` (other values unchanged). */
export function resolveColor(el: Element, color: string): string {
  const name = /^var\((--[\w-]+)\)$/.exec(color.trim())?.[1];
  if (!name) return color;
  return getComputedStyle(el).getPropertyValue(name).trim() || '#888';
}

/** The theme around `el` (dark or light, whichever the document shows now). */
export function chartTheme(el: Element): ChartTheme {
  const style = getComputedStyle(el);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const fontFamily = style.fontFamily || 'system-ui, sans-serif';
  return {
    text: v('--text', '#e4e7ee'),
    muted: v('--muted', '#8d95a6'),
    grid: v('--panel-3', '#2a2f39'),
    panel: v('--panel', '#1b1e25'),
    font: `10.5px ${fontFamily}`,
    fontFamily,
  };
}
