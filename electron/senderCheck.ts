/** The custom scheme the app's pages are served from (see appProtocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'nnb';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * True when an IPC message comes from our own page: the main frame of an app:// document.
 * Anything else — an iframe, a page navigated elsewhere, another window — is refused.
 */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null): boolean {
  if (frame === null || !frame.isMainFrame) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Navigation inside the window is allowed only within the app's own origin. */
export function isAppUrl(target: string): boolean {
  try {
    const url = new URL(target);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/** The CSP of every app page: scripts only from the app, no remote anything. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // React Flow positions nodes with style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Response headers minus any CSP of their own (header names are case-insensitive), so that the
 * app's policy is the one in force rather than one of two.
 */
export function withoutContentSecurityPolicy(
  headers: Record<string, string[]> | undefined,
): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).filter(
      ([name]) => name.toLowerCase() !== 'content-security-policy',
    ),
  );
}
