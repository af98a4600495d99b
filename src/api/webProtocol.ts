/**
 * How a page proves to the web-mode server that it was opened from the printed address: it
 * offers two WebSocket subprotocols, the API's and `nnb.token.<token>`. The server selects the
 * API's and answers only connections whose token matches (src/server/accessToken.ts). A
 * subprotocol, unlike a query parameter, keeps the secret out of every URL and log line.
 */
export const API_PROTOCOL = 'nnb.v1';
export const TOKEN_PROTOCOL_PREFIX = 'nnb.token.';

/** The subprotocols a page offers: the API's, and its token when it has one. */
export function apiProtocols(token: string | undefined): string[] {
  return token === undefined ? [API_PROTOCOL] : [API_PROTOCOL, `${TOKEN_PROTOCOL_PREFIX}${token}`];
}
