import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { rendererFile } from './rendererFile.js';
import { APP_SCHEME, CONTENT_SECURITY_POLICY } from './senderCheck.js';

/** Must run before `app.whenReady()`: app:// behaves like https (secure, standard origin). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves the built renderer at app://nnb/ with a strict CSP header (file:// pages get no
 * headers, and would share one origin with every local file).
 */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = rendererFile(rendererDir, request.url);
    if (file === null) return new Response('forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
