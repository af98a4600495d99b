import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphDocument } from '../../src/core/graph/document.js';
import { parseGraphJson } from '../../src/core/graph/parseGraph.js';

const TEMPLATES_DIR = join(import.meta.dirname, '..', '..', 'templates');

/** Every graph template (`templates/*.nnb.json`) as `[file, graph]`, parsed and checked. */
export function templateGraphs(): (readonly [string, GraphDocument])[] {
  return readdirSync(TEMPLATES_DIR)
    .filter((f) => f.endsWith('.nnb.json'))
    .map((f) => {
      const parsed = parseGraphJson(readFileSync(join(TEMPLATES_DIR, f), 'utf8'));
      if (!parsed.ok) throw new Error(parsed.error);
      return [f, parsed.graph] as const;
    });
}
