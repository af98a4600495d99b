import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { generatedDocs } from '../scripts/generate-docs.js';

const ROOT = join(import.meta.dirname, '..');

describe('generated docs', () => {
  it.each(Object.entries(generatedDocs()))(
    '%s is up to date (run `npm run docs`)',
    (path, text) => {
      expect(readFileSync(join(ROOT, path), 'utf8')).toBe(text);
    },
  );
});

describe('docs/graph.schema.json', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'docs/graph.schema.json'), 'utf8'));
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
  const templates = readdirSync(join(ROOT, 'templates')).filter((f) => f.endsWith('.nnb.json'));

  it.each(templates)('accepts templates/%s', (file) => {
    const ok = validate(JSON.parse(readFileSync(join(ROOT, 'templates', file), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    ['a missing required param', { id: 'c', type: 'Conv2d', params: { out_channels: 6 } }],
    [
      'a misspelt param',
      { id: 'c', type: 'Conv2d', params: { out_channels: 6, kernel_size: 3, strid: 2 } },
    ],
    ['a wrong value type', { id: 'c', type: 'MaxPool2d', params: { kernel_size: '2' } }],
    ['an unknown type', { id: 'c', type: 'Conv3d' }],
  ])('rejects %s', (_what, node) => {
    expect(validate({ format: 'nnb-graph', version: 1, nodes: [node], edges: [] })).toBe(false);
  });
});
