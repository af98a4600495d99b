#!/usr/bin/env node
// `npm run web`: serves the built renderer and the EngineApi on 127.0.0.1 and prints the URL.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defaultRunsDir } from '../engine/runs/runsHome.js';
import { TOKEN_PATTERN } from './accessToken.js';
import { enableRelaxedSimd } from '../engine/wasm/relaxedSimdNode.js';
import { lazyTraining } from './loadTraining.js';
import { projectRoot, projectVersion } from './projectRoot.js';
import { TemplateStore } from './templateStore.js';
import { webHandlers } from './webHandlers.js';
import { startWebServer, type WebServer } from './webServer.js';

const DEFAULT_PORT = 5178;

const USAGE = `usage: nnb-web [--port N] [--runs DIR] [--data DIR]... [--dev]
  --port N     port on 127.0.0.1 (default ${DEFAULT_PORT}, or $NNB_PORT; 0 = any free port)
  --runs DIR   folder for training runs (default ${defaultRunsDir()})
  --data DIR   a folder the app may train on (repeatable); datasets elsewhere are refused
  --dev        serve the renderer from source with Vite's hot reload

The printed address carries a fresh secret token (?token=…): open it as printed; the page keeps
the token and the server refuses API connections without it. $NNB_TOKEN (16–256 letters, digits,
- or _) sets the token instead, for test harnesses; it is read from the environment only, never
from the command line, where other users could read it in the process list.`;

async function main(): Promise<number> {
  // Before the training worker threads start: they then compile their kernels with FMA too.
  enableRelaxedSimd();
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        runs: { type: 'string' },
        data: { type: 'string', multiple: true },
        dev: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`nnb-web: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const portText = args.port ?? process.env.NNB_PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`nnb-web: --port must be an integer from 0 to 65535, got "${portText}"`);
    return 2;
  }
  const dataFolders = (args.data ?? []).map((dir) => resolve(dir));
  const notFolder = dataFolders.find(
    (dir) => !statSync(dir, { throwIfNoEntry: false })?.isDirectory(),
  );
  if (notFolder !== undefined) {
    console.error(`nnb-web: --data ${notFolder} is not a folder`);
    return 2;
  }
  const token = process.env.NNB_TOKEN;
  if (token !== undefined && !TOKEN_PATTERN.test(token)) {
    console.error('nnb-web: $NNB_TOKEN must be 16–256 letters, digits, - or _');
    return 2;
  }
  const root = projectRoot();
  const rendererDir = join(root, 'dist', 'renderer');
  if (!args.dev && !existsSync(join(rendererDir, 'index.html'))) {
    console.error(
      `nnb-web: the renderer is not built (${rendererDir} is missing). Run "npm run build:renderer" first, or "npm run web" which builds it.`,
    );
    return 1;
  }
  const middleware = args.dev ? await viteMiddleware(root) : undefined;
  const training = lazyTraining();
  const options = {
    rendererDir,
    handlers: webHandlers({
      version: projectVersion(root),
      templates: new TemplateStore(join(root, 'templates')),
      training: training.api,
      trainingAvailable: training.available,
      runsDir: resolve(args.runs ?? defaultRunsDir()),
      dataFolders,
    }),
    subscribe: training.subscribe,
    ...(middleware && { middleware }),
    ...(token !== undefined && { token }),
  };
  let server: WebServer;
  try {
    server = await startWebServer({ ...options, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.warn(`nnb-web: port ${port} is in use; taking a free one instead.`);
    server = await startWebServer({ ...options, port: 0 });
  }
  console.log(`NN Builder (web mode) is running at ${server.appUrl}`);
  console.log('Open that address (with its token) in your browser; the token changes each launch.');
  // Load the engine in the background, after the first page has had the CPU to itself.
  setTimeout(() => void training.get(), 4000).unref();
  const stop = () => {
    void Promise.all([server.close(), training.dispose()]).then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return new Promise<number>(() => {});
}

/** Vite in middleware mode, loaded only for --dev (it is a development dependency). */
async function viteMiddleware(
  root: string,
): Promise<(req: IncomingMessage, res: ServerResponse, next: () => void) => void> {
  const { createServer } = await import('vite');
  const vite = await createServer({
    configFile: join(root, 'vite.config.ts'),
    server: { middlewareMode: true },
    appType: 'spa',
  });
  return (req, res, next) => vite.middlewares(req, res, next);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`nnb-web: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
