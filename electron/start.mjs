// `npm start`: the desktop app. `npm ci` does not download Electron's binary (package.json's
// allowScripts: an install must not depend on a host other than the npm registry), so the first
// start fetches it with the electron package's own installer; where that cannot be done (offline,
// a blocked host), it says so plainly and serves the same app in web mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The Electron executable, or the reason there is none. */
function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path)
      ? { path }
      : { reason: `the electron package points to ${String(path)}, which does not exist` };
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error) };
  }
}

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Runs the electron package's installer (downloads the binary for this platform); null when it
 * worked, else the installer's first error line. */
function downloadElectron() {
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return 'the electron package is not installed';
  console.log("Downloading Electron's binary (once, on the desktop app's first start)…");
  const result = spawnSync(process.execPath, [installer], { cwd: root, encoding: 'utf8' });
  if (result.status === 0) return null;
  const firstLine = `${result.stderr}${result.stdout}`.split('\n').find((l) => l.trim() !== '');
  return `its download failed: ${firstLine?.trim() ?? `exit code ${result.status}`}`;
}

let electron = electronBinary();
if (!('path' in electron)) {
  const failure = downloadElectron();
  electron = failure === null ? electronBinary() : { reason: failure };
}
if ('path' in electron) {
  run('npx', ['vite', 'build', '--logLevel', 'warn']);
  run('npx', ['tsc', '-p', 'electron/tsconfig.json']);
  const child = spawn(electron.path, [join(root, 'dist', 'electron', 'main.js')], {
    cwd: root,
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron's binary is not available here (${electron.reason}).`);
  console.log('Starting NN Builder in web mode instead; open the address below in your browser.');
  const child = spawn('npm', ['run', 'web', '--', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}
