// `prepare` (run by npm ci / npm install): compiles the CLI to dist/. When the dev tools are not
// installed (e.g. `npm install -g .` straight from a fresh clone), say what to do instead of failing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  console.warn(
    `nn-builder: TypeScript is not installed here, so the nnb CLI was not built. Run "npm ci" in ${root} first.`,
  );
  process.exit(0);
}
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
