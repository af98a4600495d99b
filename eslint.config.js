// Lint rules, including the import directions of docs/architecture.md: the folder a file
// lives in decides what it may import, and CI fails when a file reaches across.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'fs/*',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'url',
  'util',
  'http',
  'net',
  'crypto',
  'stream',
  'zlib',
  'module',
];
const UI = [
  'react',
  'react-dom',
  'react-dom/*',
  '@xyflow/*',
  'zustand',
  'zustand/*',
  '**/renderer/**',
];
const ELECTRON = ['electron', 'electron/*', '**/electron/**'];
const TFJS = ['@tensorflow/*'];
/** What the pure layers (src/core, src/api, src/import) may not import. */
const PURE_ONLY = [
  ...NODE_BUILTINS,
  ...UI,
  ...ELECTRON,
  ...TFJS,
  '**/engine/**',
  '**/export/**',
  '**/server/**',
  '**/cli/**',
  '**/io/**',
];

/** A rule that forbids the given import patterns, with the reason shown on violation. */
const forbid = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      'test-results/',
      'playwright-report/',
      'tmp/',
      'release/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    // React: the rules of hooks (the classic two; the compiler-era rules are not adopted yet).
    files: ['renderer/**/*.tsx', 'renderer/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/core/**'],
    rules: forbid(
      PURE_ONLY,
      'src/core is platform-free: it may import only itself and small pure libraries (docs/architecture.md).',
    ),
  },
  {
    files: ['src/api/**'],
    rules: forbid(
      PURE_ONLY,
      'src/api is the pure contract between app and engine: it may import src/core and zod only (docs/architecture.md).',
    ),
  },
  {
    files: ['src/io/**'],
    rules: forbid(
      [
        ...UI,
        ...ELECTRON,
        ...TFJS,
        '**/core/**',
        '**/api/**',
        '**/engine/**',
        '**/export/**',
        '**/server/**',
        '**/cli/**',
      ],
      'src/io is node-only file writing shared by engine, exporters and hosts: it may import node:* only (docs/architecture.md).',
    ),
  },
  {
    files: ['src/import/**'],
    rules: forbid(
      PURE_ONLY,
      'src/import turns model files into graph documents in memory: it may import src/core and onnx-proto only (docs/architecture.md).',
    ),
  },
  {
    files: ['src/engine/**', 'src/export/**'],
    rules: forbid(
      [...UI, ...ELECTRON, '**/server/**', '**/cli/**'],
      'src/engine and src/export may import src/core, src/io, tfjs and node:* only (docs/architecture.md).',
    ),
  },
  {
    // An ES module's import of tfjs (CommonJS) makes Node scan its sources for their exports,
    // ~135 ms at every start of a run or worker; src/engine/tfjs.cts loads it by require().
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'].map((name) => ({
            name,
            allowTypeImports: true,
            message:
              "load TensorFlow.js through src/engine/tfjs.cts (import tf from '…/tfjs.cjs') or src/engine/wasm/tfjsBackendWasm.cts: an ES import of it costs ~135 ms per start (docs/performance.md).",
          })),
        },
      ],
    },
  },
  {
    // The two CommonJS shims above exist to require() tfjs.
    files: ['src/engine/**/*.cts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/server/**', 'src/cli/**'],
    rules: forbid(
      [...UI, ...ELECTRON],
      'src/server and src/cli must not import electron, react or the renderer (docs/architecture.md).',
    ),
  },
  {
    files: ['electron/**'],
    rules: forbid(UI, 'electron/ must not import react or the renderer (docs/architecture.md).'),
  },
  {
    files: ['renderer/**'],
    rules: forbid(
      [
        ...NODE_BUILTINS,
        ...ELECTRON,
        '@tensorflow/tfjs-node',
        '@tensorflow/tfjs-node-gpu',
        '**/src/engine/**',
        '**/src/export/**',
        '**/src/server/**',
        '**/src/cli/**',
        '**/src/io/**',
      ],
      'renderer/ may import src/core, the EngineApi types, react, @xyflow/react and zustand only (docs/architecture.md).',
    ),
  },
);
