import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nnb } from './nnb.js';

const out = () => mkdtempSync(join(tmpdir(), 'nnb-export-cli-'));

describe('nnb export', () => {
  it('writes ONNX and the PyTorch bundle, the same seed giving the same weights', () => {
    const [a, b, c] = [out(), out(), out()];
    expect(
      nnb('export', 'templates/lenet-5.nnb.json', '--format', 'onnx', '--out', a, '--seed', '7'),
    ).toMatchObject({ code: 0 });
    expect(
      nnb('export', 'templates/lenet-5.nnb.json', '--format', 'onnx', '--out', b, '--seed', '7')
        .code,
    ).toBe(0);
    expect(
      nnb('export', 'templates/lenet-5.nnb.json', '--format', 'onnx', '--out', c, '--seed', '8')
        .code,
    ).toBe(0);
    const model = (d: string) => readFileSync(join(d, 'model.onnx'));
    expect(model(a).equals(model(b))).toBe(true);
    expect(model(a).equals(model(c))).toBe(false);
    const py = out();
    const r = nnb('export', 'templates/resnet-18.nnb.json', '--format', 'pytorch', '--out', py);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.slice(py.length + 1)),
    ).toEqual(['model.py', 'weights.safetensors', 'train.py']);
    expect(readFileSync(join(py, 'model.py'), 'utf8')).toContain('class ResNet18(nn.Module):');
  });

  it('exits 1 naming the layer a format cannot express', () => {
    const r = nnb(
      'export',
      'test/oracle/fixtures/blocks.nnb.json',
      '--format',
      'onnx',
      '--out',
      out(),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('BatchNorm2d "bn" cannot be exported to ONNX');
  });

  it.each([
    [
      ['export', 'templates/lenet-5.nnb.json', '--out', '/tmp/x'],
      '--format FORMAT is required: the format to write.',
    ],
    [['export', 'templates/lenet-5.nnb.json', '--format', 'onnx'], '--out DIR is required'],
    [
      [
        'export',
        'templates/lenet-5.nnb.json',
        '--format',
        'onnx',
        '--out',
        '/tmp/x',
        '--seed',
        '1.5',
      ],
      '--seed needs a whole number ≥ 0, got "1.5".',
    ],
    [
      ['export', 'nope.nnb.json', '--format', 'onnx', '--out', '/tmp/x'],
      'cannot read nope.nnb.json: no such file',
    ],
  ])('exits 2 with a plain message for %j', (args, message) => {
    const r = nnb(...args);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining(message)]);
  });
});
