// Electron main process: one window, secure defaults, the EngineApi over IPC. Thin on purpose:
// requests are validated and dispatched by src/api, training runs in the engine's workers.
import { app, BrowserWindow, ipcMain, Menu, session, shell } from 'electron';
import { join } from 'node:path';
import { dispatchEngineRequest } from '../src/api/engineDispatch.js';
import { defaultRunsDir } from '../src/engine/runs/runsHome.js';
import { lazyTraining } from '../src/server/loadTraining.js';
import { projectRoot, projectVersion } from '../src/server/projectRoot.js';
import { TemplateStore } from '../src/server/templateStore.js';
import { registerAppScheme, serveRenderer } from './appProtocol.js';
import { desktopHandlers } from './desktopHandlers.js';
import { isAllowedExternalUrl } from './externalLinks.js';
import { FileAllowList } from './FileAllowList.js';
import { applicationMenu } from './menu.js';
import {
  APP_ORIGIN,
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  isTrustedSender,
  withoutContentSecurityPolicy,
} from './senderCheck.js';

registerAppScheme();

let mainWindow: BrowserWindow | undefined;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'NN Builder',
    backgroundColor: '#14161b',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      // No `auxclick` events: a middle click cannot open a link or run a page's handler for it
      // (the open handler below would refuse the window anyway). Middle-button panning on the
      // canvas uses mousedown, which stays.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  // No navigation away from the app and no new windows; a link to an allow-listed site
  // (externalLinks.ts) opens in the user's browser, any other is dropped.
  window.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

async function main(): Promise<void> {
  await app.whenReady();
  const root = projectRoot();
  serveRenderer(join(root, 'dist', 'renderer'));
  // appProtocol.ts puts the CSP on every app:// page; this puts it on any other response the
  // session sees too (a dev server, a page that got past will-navigate), replacing theirs.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...withoutContentSecurityPolicy(details.responseHeaders),
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
  // Camera, microphone, notifications, …: the app needs none of them.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);

  const allowed = new FileAllowList(join(app.getPath('userData'), 'allowed-files.json'));
  await allowed.load();
  const training = lazyTraining();
  const handlers = desktopHandlers({
    version: projectVersion(root),
    window: () => mainWindow,
    templates: new TemplateStore(join(root, 'templates')),
    allowed,
    training: training.api,
    trainingAvailable: training.available,
    // The same per-user runs folder as the CLI and the web app: a run trained in one opens in all.
    runsDir: defaultRunsDir(),
  });
  ipcMain.handle('nnb:call', async (event, raw: unknown) => {
    const frame = event.senderFrame;
    const trusted =
      event.sender === mainWindow?.webContents &&
      isTrustedSender(frame && { url: frame.url, isMainFrame: frame.parent === null });
    if (!trusted) {
      return { ok: false, error: 'refused: the request did not come from the app window' };
    }
    return dispatchEngineRequest(handlers, raw);
  });
  training.subscribe((channel, payload) => {
    mainWindow?.webContents.send('nnb:event', { channel, payload });
  });

  Menu.setApplicationMenu(applicationMenu());
  mainWindow = createWindow();
  setTimeout(() => void training.get(), 4000);
  app.on('before-quit', () => void training.dispose());
  mainWindow.on('closed', () => (mainWindow = undefined));
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

main().catch((error: unknown) => {
  console.error(
    `NN Builder could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  app.exit(1);
});
