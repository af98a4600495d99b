/**
 * The sites a link in the app may open in the user's browser. The renderer links to none today
 * (its only `https://` strings are JSON-schema identifiers, not links), so the list is empty and
 * every external URL is refused; a link added to the app adds its host here, with a test.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [];

/**
 * True when `target` may be handed to `shell.openExternal`: an https URL, to a host on the list
 * (exact match: `github.com.evil.example` is not `github.com`), on the default port and with no
 * user name or password in it (`https://github.com@evil.example/` reads as GitHub but goes to
 * evil.example). Anything else — `file:`, `javascript:`, plain http, custom schemes that start
 * other programs — must never reach the OS's URL handler.
 */
export function isAllowedExternalUrl(
  target: string,
  hosts: readonly string[] = EXTERNAL_LINK_HOSTS,
): boolean {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return false;
  }
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.port === '' &&
    hosts.includes(url.hostname)
  );
}
