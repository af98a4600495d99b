#!/usr/bin/env node
// Packs what the GPU machine needs to run bench/gpu/device-run.sh into .gpu/payload.tar.xz (an
// ignored folder, named in the device tool's `carry`): that machine has Python and PyTorch but
// no Node and no npm. Contents: this Node binary, esbuild bundles of the GPU benchmark, the
// exactness check and the CLI, Dawn's dawn.node for linux-x64, the templates, the digits, the
// PyTorch script, and the Vulkan loader's .deb in case the machine lacks it.
// Usage: node scripts/gpu-bundle.mjs [path/to/libvulkan1.deb]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.gpu');
const payload = join(out, 'payload');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(payload, 'bin'), { recursive: true });

const entries = {
  bench: 'bench/gpu/gpuBench.ts',
  check: 'bench/gpu/gpuCheck.ts',
  nnb: '.gpu/nnb-entry.ts',
};
writeFileSync(
  join(out, 'nnb-entry.ts'),
  "import { main } from '../src/cli/main.js';\nprocess.exitCode = await main(process.argv.slice(2));\n",
);
for (const [name, entry] of Object.entries(entries)) {
  await build({
    entryPoints: [join(root, entry)],
    outfile: join(payload, `${name}.mjs`),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
}
const webgpu = join(root, 'node_modules', 'webgpu');
for (const file of ['index.js', 'package.json', 'dist/linux-x64/dawn.node']) {
  const to = join(payload, 'node_modules', 'webgpu', file);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(join(webgpu, file), to);
}
cpSync(process.execPath, join(payload, 'bin', 'node'));
cpSync(join(root, 'templates'), join(payload, 'templates'), { recursive: true });
cpSync(join(root, 'assets', 'digits'), join(payload, 'assets', 'digits'), { recursive: true });
cpSync(join(root, 'bench', 'gpu', 'torch_cuda_train.py'), join(payload, 'torch_cuda_train.py'));
cpSync(join(root, 'bench', 'gpu', 'device-run.sh'), join(payload, 'run.sh'));
const deb = process.argv[2];
if (deb && existsSync(deb)) cpSync(deb, join(payload, 'libvulkan1.deb'));
execFileSync('tar', ['-C', out, '-cJf', join(out, 'payload.tar.xz'), 'payload'], {
  stdio: 'inherit',
  env: { ...process.env, XZ_OPT: '-6 -T0' },
});
rmSync(payload, { recursive: true, force: true });
console.log(`wrote ${join(out, 'payload.tar.xz')}`);
