/** Where the page keeps the web server's token: this tab only, gone when the tab closes. */
export const TOKEN_KEY = 'nnb.token';

/** What sessionToken needs of the browser, so a test can hand in its own. */
export interface TokenPlace {
  readonly href: string;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** Shows `url` in the address bar without loading it (history.replaceState). */
  replaceUrl(url: string): void;
}

const browserPlace = (): TokenPlace => ({
  href: location.href,
  storage: sessionStorage,
  replaceUrl: (url) => history.replaceState(history.state, '', url),
});

/**
 * The web server's per-launch token (src/server/accessToken.ts). The printed address carries
 * it as `?token=…`: taken from there on load, kept in sessionStorage (a reload or a click
 * within the app keeps working) and removed from the address bar, so it is not bookmarked,
 * shared in a screenshot or left in the history. Undefined when the page was opened without it.
 */
export function sessionToken(place: TokenPlace = browserPlace()): string | undefined {
  const url = new URL(place.href);
  const fromAddress = url.searchParams.get('token');
  if (fromAddress !== null && fromAddress !== '') {
    place.storage.setItem(TOKEN_KEY, fromAddress);
    url.searchParams.delete('token');
    place.replaceUrl(`${url.pathname}${url.search}${url.hash}`);
    return fromAddress;
  }
  return place.storage.getItem(TOKEN_KEY) ?? undefined;
}
