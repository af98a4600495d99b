import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CliError, UsageError } from '../../src/cli/CliError.js';
import { failure } from '../../src/cli/main.js';
import { nnb } from './nnb.js';

const dir = mkdtempSync(join(tmpdir(), 'nnb-failures-'));
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const graphFile = (name: string, nodes: unknown[], edges: unknown[]): string =>
  write(name, JSON.stringify({ format: 'nnb-graph', version: 1, name: 'T', nodes, edges }));
const input = (shape: number[]) => ({ id: 'input', type: 'Input', params: { shape } });
const wire = [{ source: 'input', target: 'fc' }];

/** Exit 1 or 2, the culprit named, never the internal-error text or a stack trace. */
function expectPlainFailure(r: ReturnType<typeof nnb>, code: 1 | 2, culprit: string): void {
  expect(r.code).toBe(code);
  expect(`${r.stdout}${r.stderr}`).toContain(culprit);
  expect(r.stderr).not.toMatch(/internal error|unexpected failure|\n\s+at /);
}

describe('every failure a user can cause is exit 1 or 2 with the culprit named', () => {
  it('params nested 100,000 deep: exit 1 naming the node and param (was exit 70)', () => {
    const path = write(
      'deep.nnb.json',
      JSON.stringify({
        format: 'nnb-graph',
        version: 1,
        nodes: [input([10]), { id: 'fc', type: 'Linear', params: { out_features: 0 } }],
        edges: wire,
      }).replace(
        '"out_features":0',
        `"out_features":${'['.repeat(100_000)}1${']'.repeat(100_000)}`,
      ),
    );
    expectPlainFailure(nnb('summary', path), 1, 'error fc: Linear "fc": "out_features" must be');
  });

  it('targetPort 1e9: exit 1 naming the edge (was 14 s, 1.75 GB, exit 70)', () => {
    const path = graphFile(
      'port.nnb.json',
      [input([4]), { id: 'fc', type: 'ReLU' }],
      [{ source: 'input', target: 'fc', targetPort: 1e9 }],
    );
    expectPlainFailure(nnb('summary', path), 1, 'The edge input → fc has targetPort 1000000000');
  });

  it('an Input of 1e9³: exit 1 on the node instead of exit 0 with 1.4999999999999998e+29', () => {
    const path = graphFile('huge.nnb.json', [input([1e9, 1e9, 1e9])], []);
    const r = nnb('summary', path, '--json');
    expectPlainFailure(r, 1, 'beyond 2^53 − 1');
    expect(JSON.parse(r.stdout).diagnostics).toContainEqual(
      expect.objectContaining({ severity: 'error', code: 'too-large', node: 'input' }),
    );
    expect(r.stdout).not.toMatch(/e\+\d/);
  });

  it('exporting a Linear of 1e12 × 1e12 features: exit 1 by the analysis (was exit 70)', () => {
    const path = graphFile(
      'linear.nnb.json',
      [input([1e12]), { id: 'fc', type: 'Linear', params: { out_features: 1e12 } }],
      wire,
    );
    const out = join(dir, 'linear-out');
    const r = nnb('export', path, '--format', 'onnx', '--out', out);
    expectPlainFailure(r, 1, 'Linear "fc": its parameters would be about 1.00·10^24');
  });

  it('exporting an exact but unallocatable Linear (1e13 weights): exit 1 naming it (was exit 70)', () => {
    const path = graphFile(
      'wide.nnb.json',
      [input([1e12]), { id: 'fc', type: 'Linear', params: { out_features: 10 } }],
      wire,
    );
    const r = nnb('export', path, '--format', 'onnx', '--out', join(dir, 'wide-out'));
    expectPlainFailure(r, 1, 'Linear "fc" has 10,000,000,000,010 parameters');
  });

  it('nnb train --out where no folder can be made: exit 2 naming --out (was "internal", exit 1)', () => {
    const file = write('a-file', 'not a folder');
    for (const [out, why] of [
      [file, 'it is a file, not a folder'],
      [join(file, 'runs'), 'a file stands where a folder should be'],
    ] as const) {
      const r = nnb('train', 'templates/mlp-digits.nnb.json', '--out', out, '--backend', 'cpu');
      expectPlainFailure(r, 2, `nnb train: --out ${out}: cannot write runs there (${why}`);
    }
  });

  it('nnb predict with damaged run metadata: exit 2 naming model.json and the field (was exit 70)', () => {
    const runs = join(dir, 'runs');
    const train = nnb(
      'train',
      'templates/mlp-digits.nnb.json',
      '--epochs=1',
      '--max-samples=50',
      '--backend=cpu',
      `--out=${runs}`,
    );
    expect(train.code).toBe(0);
    const [runId = ''] = readdirSync(runs);
    const png = new PNG({ width: 28, height: 28 });
    png.data.fill(255);
    const image = join(dir, 'white.png');
    writeFileSync(image, PNG.sync.write(png));
    expect(nnb('predict', join(runs, runId), image).code).toBe(0);

    for (const [name, edit, field] of [
      ['no-shape', (m: Record<string, unknown>) => delete m.dataShape, '"nnb.dataShape"'],
      ['2d-shape', (m: Record<string, unknown>) => (m.dataShape = [28, 28]), '"nnb.dataShape"'],
      ['huge', (m: Record<string, unknown>) => (m.dataShape = [1, 1e5, 1e5]), '"nnb.dataShape"'],
      ['no-mean', (m: Record<string, unknown>) => delete m.mean, '"nnb.mean"'],
      ['no-classes', (m: Record<string, unknown>) => delete m.classNames, '"nnb.classNames"'],
    ] as const) {
      const run = join(dir, `run-${name}`);
      cpSync(join(runs, runId), run, { recursive: true });
      const modelJson = join(run, 'best', 'model.json');
      const model = JSON.parse(readFileSync(modelJson, 'utf8')) as { nnb: Record<string, unknown> };
      edit(model.nnb);
      writeFileSync(modelJson, JSON.stringify(model));
      expectPlainFailure(nnb('predict', run, image), 2, `${modelJson}: ${field}`);
    }
  });
});

describe('the last resort', () => {
  it('exit 70 only for what is not a CliError: it says it is a bug and where to report it', () => {
    expect(failure('train', new TypeError('x is undefined'))).toEqual({
      code: 70,
      message: expect.stringMatching(
        /^nnb train: internal error — a bug in nnb, not a problem with your input: x is undefined\nPlease report it on the NN Builder issue tracker/,
      ),
    });
    expect(failure('train', new CliError('cannot read a.json'))).toEqual({
      code: 2,
      message: 'nnb train: cannot read a.json\n',
    });
    expect(failure('train', new CliError('the graph has errors', 1)).code).toBe(1);
    expect(failure('train', new UsageError('unknown option --x.')).message).toBe(
      'nnb train: unknown option --x. Try "nnb train --help".\n',
    );
  });
});
