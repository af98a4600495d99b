#!/usr/bin/env node
// The `nnb` command. The CLI is TypeScript compiled to dist/ by `npm install` (the prepare script).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write(`nnb is not built yet: run "npm ci" (or "npm run build") in ${root}\n`);
  process.exit(2);
}
// The CPU kernels' fused multiply-add: Node 20 has WebAssembly relaxed SIMD behind a V8 flag, set
// here before anything compiles WebAssembly or starts a thread (src/engine/wasm/relaxedSimdNode.ts).
const relaxed = await import(
  pathToFileURL(join(root, 'dist', 'src', 'engine', 'wasm', 'relaxedSimdNode.js')).href
);
relaxed.enableRelaxedSimd();
// A reader that stops early (`nnb summary big.nnb.json | head`) is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const argv = process.argv.slice(2);
// A forced webgpu run loads Dawn here, and Dawn's native warnings go straight to stderr: such a
// run is made in a child process whose stderr is filtered (src/cli/nativeStderr.ts).
const filter = await import(
  pathToFileURL(join(root, 'dist', 'src', 'cli', 'nativeStderr.js')).href
);
if (filter.wantsFilteredChild(argv, process.env)) {
  process.exitCode = await filter.runWithFilteredStderr(fileURLToPath(import.meta.url), argv);
} else {
  // `nnb train` starts its second thread's worker first, so that it boots while this thread loads.
  const early = await import(pathToFileURL(join(root, 'dist', 'src', 'cli', 'earlyStart.js')).href);
  early.startEarly(argv, process.env);
  const { main } = await import(pathToFileURL(entry).href);
  process.exitCode = await main(argv);
}
