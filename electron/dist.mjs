// `npm run dist`: packages the desktop app for the current OS with electron-builder
// (electron-builder.yml). Needs Electron's binary and electron-builder; says which is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const missing = [];
try {
  if (!existsSync(require('electron'))) missing.push("Electron's binary (npm install electron)");
} catch {
  missing.push("Electron's binary (npm install electron, with network access)");
}
try {
  require.resolve('electron-builder/package.json');
} catch {
  missing.push('electron-builder (npm install --save-dev electron-builder)');
}
if (missing.length > 0) {
  console.error(`npm run dist cannot package the app here; missing: ${missing.join('; ')}.`);
  console.error('See docs/app.md ("Packaging") for what is built where.');
  process.exit(1);
}
for (const [command, args] of [
  ['npx', ['vite', 'build']],
  ['npx', ['tsc', '-p', 'tsconfig.build.json']],
  ['npx', ['tsc', '-p', 'electron/tsconfig.json']],
  ['npx', ['electron-builder', '--config', 'electron-builder.yml']],
]) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
