import { join, normalize, sep } from 'node:path';
import { APP_HOST } from './senderCheck.js';

/**
 * The file of the built renderer that an `app://nnb/…` request names, or null for another host,
 * a malformed escape or a NUL byte. The path is normalized from the root, so `..` (also
 * percent-encoded, or with backslashes on Windows) stops at `rendererDir`: `/../../etc/passwd`
 * names `rendererDir/etc/passwd`, which does not exist. The final check keeps that true should
 * the normalization ever change.
 */
export function rendererFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  let path: string;
  try {
    url = new URL(requestUrl);
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (url.host !== APP_HOST || path.includes('\0')) return null;
  const relative = normalize(path).replace(/^([/\\])+/, '');
  const file = join(rendererDir, relative === '' ? 'index.html' : relative);
  return file === rendererDir || file.startsWith(rendererDir + sep) ? file : null;
}
