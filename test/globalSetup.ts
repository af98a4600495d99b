import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The CLI tests run the real `bin/nnb.js`, which loads the compiled dist/: build it once first.
 * tsc still emits when some file has a type error (that is `npm run typecheck`'s job to fail on),
 * so the tests of working code keep running while another part is being written.
 */
export default function setup(): void {
  const r = spawnSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0)
    console.warn(`tsc reported type errors while building dist/ for the CLI tests:\n${r.stdout}`);
  if (!existsSync('dist/src/cli/main.js'))
    throw new Error(`building dist/ failed:\n${r.stdout}${r.stderr}`);
}
