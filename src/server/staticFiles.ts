import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/**
 * Serves files under `root`; unknown paths fall back to index.html (one-page app). Paths are
 * normalized and must stay inside `root`, so `/../package.json` cannot escape it; the file's
 * real path (symlinks resolved) must stay inside the real root too, so a link in the build
 * folder cannot hand out `/etc/passwd` or the user's home.
 */
export async function serveStatic(
  root: string,
  req: IncomingMessage,
  res: ServerResponse,
  headers: Readonly<Record<string, string>>,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  let relative: string;
  try {
    relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '');
  } catch {
    res.writeHead(400).end('bad path');
    return;
  }
  const file = join(root, relative === '' ? 'index.html' : relative);
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end('forbidden');
    return;
  }
  let found = await confinedFile(root, file);
  if (found === undefined) {
    if (extname(relative) !== '') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`not found: ${url.pathname}`);
      return;
    }
    found = await confinedFile(root, join(root, 'index.html'));
    if (found === undefined) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end('the renderer is not built');
      return;
    }
  }
  const { real, size, inRoot } = found;
  const type = TYPES[extname(real)] ?? 'application/octet-stream';
  // Hashed assets never change; the page itself must be re-read so a rebuild shows up.
  const cache = inRoot.startsWith(`assets${sep}`)
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
  res.writeHead(200, {
    ...headers,
    'Content-Type': type,
    'Content-Length': String(size),
    'Cache-Control': cache,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  // A file that vanishes or fails mid-read ends this response, not the server.
  const stream = createReadStream(real);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** The real path and size of `file` when it is a regular file whose real path is inside `root`'s. */
async function confinedFile(
  root: string,
  file: string,
): Promise<{ real: string; size: number; inRoot: string } | undefined> {
  try {
    const [realRoot, real] = await Promise.all([realpath(root), realpath(file)]);
    if (!real.startsWith(realRoot + sep)) return undefined;
    const info = await stat(real);
    return info.isFile()
      ? { real, size: info.size, inRoot: real.slice(realRoot.length + 1) }
      : undefined;
  } catch {
    return undefined;
  }
}
