// npm run docs — regenerates docs/graph.schema.json and docs/layers.md from the layer catalog.
// test/docs.test.ts fails when they are out of date.
import { writeFileSync } from 'node:fs';
import { graphJsonSchema } from '../src/core/format/graphSchema.js';
import { layerReference } from '../src/core/format/layerReference.js';
import { NODE_DEFINITIONS } from '../src/core/layers/registry.js';

export const generatedDocs = (): Record<string, string> => ({
  'docs/graph.schema.json': `${JSON.stringify(graphJsonSchema(NODE_DEFINITIONS), null, 2)}\n`,
  'docs/layers.md': `${layerReference(NODE_DEFINITIONS)}\n`,
});

if (process.argv[1]?.endsWith('generate-docs.ts')) {
  for (const [path, text] of Object.entries(generatedDocs())) {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
