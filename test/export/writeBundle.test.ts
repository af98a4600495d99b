import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analysis/analyze.js';
import { initialStateDict } from '../../src/core/weights/initialStateDict.js';
import { checkStateDict } from '../../src/export/checkStateDict.js';
import { ExportError } from '../../src/export/ExportError.js';
import { writeBundle } from '../../src/export/writeBundle.js';
import { nnb, ROOT } from '../cli/nnb.js';
import { ofType, smallConfig, tempDir, template, train } from '../engine/trainHelpers.js';

const mlp = template('mlp-digits');
const lenet = template('lenet-5');

describe('export checks the weights against the graph', () => {
  it('names each tensor whose shape differs, is missing or belongs to no layer', () => {
    expect(() => checkStateDict(mlp, initialStateDict(analyze(mlp), 0))).not.toThrow();
    let error: unknown;
    try {
      checkStateDict(mlp, initialStateDict(analyze(lenet), 0));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExportError);
    const message = (error as ExportError).message;
    // The bundle: LeNet's weights under an MLP whose fc1 is Linear(784, 30).
    expect(message).toContain(
      'Linear "fc1": weight is [120, 400] in the weights, but the graph expects [30, 784]',
    );
    expect(message).toContain('conv1.weight [6, 1, 5, 5] belongs to no layer of the graph');
    expect(message).toMatch(/^the weights do not match the graph \(10 tensor\(s\)\)/);
    const state = new Map(initialStateDict(analyze(mlp), 0));
    state.delete('fc2.bias');
    expect(() => checkStateDict(mlp, state)).toThrow('Linear "fc2": bias [10] is missing');
  });

  describe('from a run whose model.json and weights.bin disagree', () => {
    let runDir = '';
    beforeAll(async () => {
      const events = await train(mlp, smallConfig({ epochs: 1 }));
      runDir = ofType(events, 'started')[0]!.runDir;
      // model.json's graph now says Linear(784, 64); weights.bin still holds [30, 784].
      for (const sub of ['best', 'last']) {
        const path = join(runDir, sub, 'model.json');
        const json = JSON.parse(readFileSync(path, 'utf8')) as {
          graph: { nodes: { id: string; params: Record<string, unknown> }[] };
        };
        const fc1 = json.graph.nodes.find((n) => n.id === 'fc1')!;
        fc1.params = { ...fc1.params, out_features: 64 };
        writeFileSync(path, JSON.stringify(json));
      }
    });

    it.each(['onnx', 'tfjs', 'pytorch'])(
      'nnb export --format %s exits 1 naming layer, tensor and both shapes, and writes nothing',
      (format) => {
        const out = join(tempDir('nnb-export-bad-'), 'bundle');
        const r = nnb('export', runDir, '--format', format, '--out', out);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(
          'Linear "fc1": weight is [30, 784] in the weights, but the graph expects [64, 784]',
        );
        expect(r.stderr).toContain(
          'Linear "fc2": weight is [10, 30] in the weights, but the graph expects [10, 64]',
        );
        expect(existsSync(out)).toBe(false);
      },
    );
  });
});

it('refuses to export a torn checkpoint (exit 2, naming the file)', async () => {
  const events = await train(mlp, smallConfig({ epochs: 1 }));
  const runDir = ofType(events, 'started')[0]!.runDir;
  for (const sub of ['best', 'last']) {
    copyFileSync(join(runDir, 'initial', 'weights.bin'), join(runDir, sub, 'weights.bin'));
  }
  const out = join(tempDir('nnb-export-torn-'), 'bundle');
  const r = nnb('export', runDir, '--format', 'onnx', '--out', out);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`${join(runDir, 'best', 'weights.bin')} (`);
  expect(r.stderr).toContain('is torn or was edited');
  expect(existsSync(out)).toBe(false);
});

describe('export writes all its files or none', () => {
  const files = new Map<string, string | Uint8Array>([
    ['model.onnx', new Uint8Array([1, 2, 3])],
    ['notes.txt', 'x'],
  ]);

  it('makes a new --out folder (and its parents) by one rename, leaving no temporary folder', () => {
    const root = tempDir('nnb-bundle-');
    const out = join(root, 'a', 'b');
    expect(writeBundle(out, files)).toEqual([join(out, 'model.onnx'), join(out, 'notes.txt')]);
    expect(readdirSync(join(root, 'a'))).toEqual(['b']);
    expect(readdirSync(out).sort()).toEqual(['model.onnx', 'notes.txt']);
  });

  it("replaces only its own files in an existing folder, keeping the user's", () => {
    const out = tempDir('nnb-bundle-');
    writeFileSync(join(out, 'model.onnx'), 'old');
    writeFileSync(join(out, 'mine.txt'), 'keep');
    writeBundle(out, files);
    expect(readdirSync(out).sort()).toEqual(['mine.txt', 'model.onnx', 'notes.txt']);
    expect([...readFileSync(join(out, 'model.onnx'))]).toEqual([1, 2, 3]);
    expect(readFileSync(join(out, 'mine.txt'), 'utf8')).toBe('keep');
  });

  it('exits 2 with the folder and the reason when --out cannot be made or is a file', () => {
    const root = tempDir('nnb-bundle-');
    writeFileSync(join(root, 'file'), '');
    const under = nnb(
      'export',
      'templates/lenet-5.nnb.json',
      '--format',
      'onnx',
      '--out',
      join(root, 'file', 'x'),
    );
    expect(under.code).toBe(2);
    expect(under.stderr).toContain(
      `cannot create the folder ${join(root, 'file')} for --out: a file is in the way where a folder is needed (EEXIST)`,
    );
    const onFile = nnb(
      'export',
      'templates/lenet-5.nnb.json',
      '--format',
      'onnx',
      '--out',
      join(root, 'file'),
    );
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain(`--out ${join(root, 'file')} is a file`);
  });

  it('exits 2 naming the folder when it is not writable (EACCES), leaving the folder as it was', () => {
    const root = tempDir('nnb-bundle-');
    chmodSync(root, 0o755);
    mkdirSync(join(root, 'ro'));
    chmodSync(join(root, 'ro'), 0o555);
    const out = join(root, 'ro', 'bundle');
    // Root may write anywhere: run the CLI as the unprivileged "nobody" then.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(
      process.execPath,
      [
        join(ROOT, 'bin', 'nnb.js'),
        'export',
        'templates/lenet-5.nnb.json',
        '--format',
        'onnx',
        '--out',
        out,
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, ...asNobody },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `cannot write the export into ${join(root, 'ro')} (for --out ${out}): permission denied (EACCES)`,
    );
    expect(readdirSync(join(root, 'ro'))).toEqual([]);
  });
});
