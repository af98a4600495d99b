import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_PROTOCOL_PREFIX } from '../api/webProtocol.js';

export { API_PROTOCOL, TOKEN_PROTOCOL_PREFIX } from '../api/webProtocol.js';

/**
 * The per-launch secret of web mode (as Jupyter's token): the printed URL carries it, the page
 * keeps it in sessionStorage and offers it as a WebSocket subprotocol. Without it nothing on
 * the machine — another user, another process, a page in the browser — can drive the engine.
 */

/** Tokens given on the command line's environment: subprotocol-safe and long enough to guess. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;

/** 32 random bytes as hex: 256 bits, far beyond guessing over a socket. */
export function newAccessToken(): string {
  return randomBytes(32).toString('hex');
}

/** The token an upgrade request offers in `Sec-WebSocket-Protocol`, if any. */
export function offeredToken(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(',')) {
    const value = part.trim();
    if (value.startsWith(TOKEN_PROTOCOL_PREFIX)) return value.slice(TOKEN_PROTOCOL_PREFIX.length);
  }
  return undefined;
}

/** Constant-time comparison, so the reply time says nothing about how much of a guess matched. */
export function tokenMatches(expected: string, offered: string | undefined): boolean {
  if (offered === undefined) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(offered, 'utf8');
  // timingSafeEqual needs equal lengths; the length of the token is no secret.
  return a.length === b.length && timingSafeEqual(a, b);
}
