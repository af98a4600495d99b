import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The import directions of docs/architecture.md are enforced by lint rules (eslint.config.js); this
// checks the rules themselves bite, so a refactor of the config cannot silently disable them.
const eslint = new ESLint({ cwd: join(import.meta.dirname, '..') });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['src/core/analysis/x.ts', "import { readFileSync } from 'node:fs';"],
    ['src/core/analysis/x.ts', "import * as tf from '@tensorflow/tfjs';"],
    ['src/core/analysis/x.ts', "import { useState } from 'react';"],
    ['src/core/analysis/x.ts', "import { main } from '../../cli/main.js';"],
    ['src/engine/x.ts', "import { app } from 'electron';"],
    ['src/cli/x.ts', "import { App } from '../../renderer/App.js';"],
    ['electron/main.ts', "import { createRoot } from 'react-dom/client';"],
    ['renderer/App.tsx', "import { spawn } from 'node:child_process';"],
    ['renderer/App.tsx', "import '@tensorflow/tfjs-node';"],
    ['src/core/graph/x.ts', "import { writeFileAtomic } from '../../io/writeFileAtomic.js';"],
    ['src/io/x.ts', "import { analyze } from '../core/analysis/analyze.js';"],
    ['renderer/App.tsx', "import { writeFileAtomic } from '../src/io/writeFileAtomic.js';"],
    ['src/import/onnx/x.ts', "import { readFileSync } from 'node:fs';"],
    [
      'src/import/onnx/x.ts',
      "import { CompiledModel } from '../../engine/model/CompiledModel.js';",
    ],
  ])('%s may not: %s', async (file, code) => {
    expect(await violations(file, code)).toHaveLength(1);
  });

  it.each([
    ['src/core/analysis/x.ts', "import { formatShape } from '../shape.js';"],
    ['src/cli/x.ts', "import { readFileSync } from 'node:fs';"],
    ['src/engine/x.ts', "import { analyze } from '../core/analysis/analyze.js';"],
    ['src/export/x.ts', "import { writeFileAtomic } from '../io/writeFileAtomic.js';"],
    ['electron/x.ts', "import { writeFileAtomic } from '../src/io/writeFileAtomic.js';"],
    ['src/import/onnx/x.ts', "import { analyze } from '../../core/analysis/analyze.js';"],
    ['src/import/onnx/x.ts', "import onnxProto from 'onnx-proto';"],
  ])('%s may: %s', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });
});
