import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { parseGraphJson } from '../../src/core/graph/parseGraph.js';
import { LAYER_CASES } from './layerCases.js';

const ROOT = join(import.meta.dirname, '..', '..');
const load = (file: string): GraphDocument => {
  const parsed = parseGraphJson(readFileSync(join(ROOT, file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.graph;
};

/** Every template, every oracle fixture and every single-layer case: what each exporter is tested on. */
export const EXPORT_GRAPHS: Record<string, GraphDocument> = {
  ...Object.fromEntries(
    [
      ...readdirSync(join(ROOT, 'templates'))
        .filter((f) => f.endsWith('.nnb.json'))
        .map((f) => `templates/${f}`),
      ...readdirSync(join(ROOT, 'test/oracle/fixtures')).map((f) => `test/oracle/fixtures/${f}`),
    ].map((f) => [f, load(f)]),
  ),
  ...LAYER_CASES,
};
