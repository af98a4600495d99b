import type { EngineApi } from '../../src/api/EngineApi';
import { createEngineClient, type EngineTransport } from '../../src/api/engineClient';
import { sessionToken } from './sessionToken';
import { wsTransport } from './wsTransport';

declare global {
  interface Window {
    /** Set by Electron's preload: the only bridge to the host (see electron/preload.ts). */
    nnbHost?: EngineTransport;
  }
}

let engine: EngineApi | undefined;

/** The EngineApi of whichever host runs the app: Electron's bridge, else the web server's socket. */
export function getEngine(): EngineApi {
  if (engine) return engine;
  const transport =
    window.nnbHost ??
    wsTransport(
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`,
      sessionToken(),
    );
  engine = createEngineClient(transport);
  return engine;
}
