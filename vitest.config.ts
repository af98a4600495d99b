import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // The engine loads tfjs through two CommonJS shims (src/engine/tfjs.cts, wasm/tfjsBackendWasm.cts)
    // that Vite's transform does not read; under vitest the packages are imported directly (the
    // same module objects: Node returns the package's module.exports as the default export).
    // Worker threads started by the tests run the shims themselves, through tsx.
    alias: [
      { find: /^(\.{1,2}\/)+tfjs\.cjs$/, replacement: '@tensorflow/tfjs' },
      {
        find: /^(\.{1,2}\/)+(wasm\/)?tfjsBackendWasm\.cjs$/,
        replacement: '@tensorflow/tfjs-backend-wasm',
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // CI also writes a JSON report, from which .ci/run prints a plain 'N passed, N failed' line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
