import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export type Theme = 'dark' | 'light';
export type BottomTab = 'summary' | 'training' | 'inspect';
/** The whole window: the graph editor, or the side-by-side comparison of several graphs. */
export type MainView = 'editor' | 'compare';

/** View state that is not part of the document (never undone, never saved in the file). */
export interface UiState {
  readonly theme: Theme;
  readonly templatesOpen: boolean;
  readonly helpOpen: boolean;
  readonly bottomTab: BottomTab;
  readonly view: MainView;
  set(patch: Partial<Omit<UiState, 'set'>>): void;
}

const THEME_KEY = 'nnb.theme';

function initialTheme(): Theme {
  const stored = globalThis.localStorage?.getItem(THEME_KEY);
  if (stored === 'dark' || stored === 'light') return stored;
  // Dark unless the user picked light: a long-session tool, like the editors it sits beside.
  return 'dark';
}

export const uiStore = createStore<UiState>()((set) => ({
  theme: initialTheme(),
  templatesOpen: false,
  helpOpen: false,
  bottomTab: 'summary',
  view: 'editor',
  set(patch) {
    if (patch.theme) globalThis.localStorage?.setItem(THEME_KEY, patch.theme);
    set(patch);
  },
}));

export function useUi<T>(selector: (s: UiState) => T): T {
  return useStore(uiStore, selector);
}
