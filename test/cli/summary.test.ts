import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nnb } from './nnb.js';

const dir = mkdtempSync(join(tmpdir(), 'nnb-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
};
const doc = (nodes: unknown[], edges: unknown[]) => ({
  format: 'nnb-graph',
  version: 1,
  name: 'T',
  nodes,
  edges,
});
const input = { id: 'input', type: 'Input', params: { shape: [1, 28, 28] } };
const conv1 = {
  id: 'conv1',
  type: 'Conv2d',
  params: { out_channels: 6, kernel_size: 5, padding: 2 },
};
const small = file('small.nnb.json', doc([input, conv1], [{ source: 'input', target: 'conv1' }]));

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('nnb summary', () => {
  it('prints a table with totals and exits 0 for a valid graph', () => {
    const r = nnb('summary', small);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/conv1 \(Conv2d\)\s+6×28×28\s+156\s+117,600\s+5/);
    expect(r.stdout).toContain('Total params: 156');
    expect(r.stdout).toContain('Total MACs: 117,600');
  });

  it('prints the documented JSON with --json', () => {
    const r = nnb('summary', small, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.layers[1]).toMatchObject({
      id: 'conv1',
      type: 'Conv2d',
      output_shape: [6, 28, 28],
      params: 156,
      trainable_params: 156,
      macs: 117600,
      receptive_field: { size: [5, 5], jump: [1, 1], start: [0, 0] },
    });
    expect(json.totals).toMatchObject({ params: 156, trainable_params: 156, macs: 117600 });
    expect(json.diagnostics).toEqual([]);
  });

  it('overrides the input shape with --input', () => {
    const r = nnb('summary', small, '--json', '--input', '3,64,64');
    const json = JSON.parse(r.stdout);
    expect(json.layers[1].output_shape).toEqual([6, 64, 64]);
    expect(json.layers[1].params).toBe(5 * 5 * 3 * 6 + 6);
    expect(nnb('summary', small, '--input', 'input=3x32x32').stdout).toMatch(/6×32×32/);
    const bad = nnb('summary', small, '--input', 'abc');
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringContaining('--input must look like C,H,W'),
    ]);
    expect(nnb('summary', small, '--input', 'nope=1,2,3').stderr).toContain(
      '"nope" is not an Input node',
    );
  });

  it('exits 1 and names the node, the values and the fix when the graph has errors', () => {
    const path = file(
      'bad.nnb.json',
      doc(
        [input, { ...conv1, params: { out_channels: 6, kernel_size: 40 } }],
        [{ source: 'input', target: 'conv1' }],
      ),
    );
    const r = nnb('summary', path);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'error conv1: Conv2d "conv1": the height window spans 40 pixels but the padded input is only 28',
    );
    expect(r.stdout).toContain('1 error in');
    const json = nnb('summary', path, '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).diagnostics[0]).toMatchObject({
      severity: 'error',
      node: 'conv1',
      code: 'kernel-too-large',
    });
  });

  it.each([
    [['summary'], 'takes one graph file, got 0'],
    [['summary', 'a', 'b'], 'takes one graph file, got 2'],
    [['summary', '--bogus', 'x'], 'unknown option --bogus. Try "nnb summary --help".'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['summary', '/nonexistent/x.nnb.json'], 'cannot read /nonexistent/x.nnb.json: no such file'],
    [['summary', '/tmp'], 'it is a folder, not a graph file'],
  ])('exits 2 with a plain message for %j', (args, message) => {
    const r = nnb(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    noStackTrace(r.stderr);
  });

  it('exits 2 naming the file and the line/column of broken JSON', () => {
    const path = file(
      'broken.nnb.json',
      '{\n  "format": "nnb-graph",\n  "version": 1,\n  "nodes": [}\n',
    );
    const r = nnb('summary', path);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `nnb summary: ${path}: invalid JSON at line 4, column 13: Unexpected token '}'\n`,
    );
  });

  it('exits 2 for a JSON file that is not a graph', () => {
    const r = nnb('summary', file('other.json', { name: 'package' }));
    expect([r.code, r.stderr]).toEqual([
      2,
      expect.stringContaining('not an NN Builder graph: the "format" field is missing'),
    ]);
  });

  it('has --help for the tool and the command', () => {
    expect(nnb('--help').stdout).toContain('summary <file.nnb.json>');
    expect(nnb('summary', '--help')).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('--input C,H,W'),
    });
  });
});
