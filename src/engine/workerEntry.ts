import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The URL to start a worker thread on `<name>.js` beside the module at `moduleUrl` (pass
 * `import.meta.url`). Built, that is the .js file itself. From source (tests, tsx) it is the .ts
 * file, and the worker first registers tsx's loader: a worker does not inherit the loader hooks
 * of the thread that starts it.
 */
export function workerEntryUrl(moduleUrl: string, name: string): URL {
  if (!moduleUrl.endsWith('.ts')) return new URL(`./${name}.js`, moduleUrl);
  const tsxRoot = dirname(createRequire(moduleUrl).resolve('tsx/package.json'));
  const tsx = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL(`./${name}.ts`, moduleUrl).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}
