import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/core/analysis/analyze.js';
import { summaryTable } from '../src/core/format/summaryTable.js';
import { parseGraphJson } from '../src/core/graph/parseGraph.js';

// Golden summaries (as torchinfo keeps tests/test_output/): the full table of every template, so
// any change to a shape, count, receptive field or the layout shows up as a reviewable diff.
// After an intended change: UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts
const ROOT = join(import.meta.dirname, '..');
const templates = readdirSync(join(ROOT, 'templates'))
  .filter((f) => f.endsWith('.nnb.json'))
  .sort();

describe('golden summaries', () => {
  it.each(templates)('templates/%s', (file) => {
    const parsed = parseGraphJson(readFileSync(join(ROOT, 'templates', file), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error);
    const table = `${summaryTable(parsed.graph.name ?? file, analyze(parsed.graph))}\n`;
    const golden = join(ROOT, 'test', 'golden', file.replace('.nnb.json', '.txt'));
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, table);
    expect(existsSync(golden), `${golden} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(
      true,
    );
    expect(table).toBe(readFileSync(golden, 'utf8'));
  });
});
