import { execFileSync } from 'node:child_process';

/** The CLI tests run the real `bin/nnb.js`, which loads the compiled dist/: build it once first. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
