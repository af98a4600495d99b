// The only bridge between the page and the host. Sandboxed: it can use nothing but
// contextBridge and ipcRenderer, so it forwards raw requests and the main process validates
// every one (src/api/engineDispatch.ts). The page never sees ipcRenderer itself.
// A sandboxed preload is CommonJS: `import x = require()` is how TypeScript writes that.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');
import type { IpcRendererEvent } from 'electron';

const { contextBridge, ipcRenderer } = electron;

interface Reply {
  ok: boolean;
  result?: unknown;
  error?: string;
}

contextBridge.exposeInMainWorld('nnbHost', {
  async call(method: string, params: unknown): Promise<unknown> {
    const reply = (await ipcRenderer.invoke('nnb:call', { method, params })) as Reply;
    if (!reply.ok) throw new Error(reply.error ?? 'the host reported an unknown error');
    return reply.result;
  },
  onEvent(listener: (channel: string, payload: unknown) => void): () => void {
    const forward = (_event: IpcRendererEvent, message: { channel: string; payload: unknown }) =>
      listener(message.channel, message.payload);
    ipcRenderer.on('nnb:event', forward);
    return () => ipcRenderer.removeListener('nnb:event', forward);
  },
});
