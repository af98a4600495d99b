import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataHome, defaultRunsDir, resolveRunArg } from '../../src/engine/runs/runsHome.js';
import { ROOT } from './nnb.js';

describe('the per-user data folder', () => {
  it.each([
    ['linux', {}, '/home/ada/.local/share/nn-builder'],
    ['linux', { XDG_DATA_HOME: '/data/ada' }, '/data/ada/nn-builder'],
    // A relative XDG_DATA_HOME is invalid (XDG Base Directory spec) and ignored.
    ['linux', { XDG_DATA_HOME: 'relative/dir' }, '/home/ada/.local/share/nn-builder'],
    ['freebsd', {}, '/home/ada/.local/share/nn-builder'],
    ['darwin', {}, '/home/ada/Library/Application Support/NN Builder'],
  ] as const)('%s %j → %s', (platform, env, expected) => {
    expect(dataHome({ platform, home: '/home/ada', env })).toBe(expected);
    expect(defaultRunsDir({ platform, home: '/home/ada', env })).toBe(join(expected, 'runs'));
  });

  it('Windows: Local AppData', () => {
    const at = { platform: 'win32' as const, home: 'C:/Users/ada', env: { LOCALAPPDATA: 'L' } };
    expect(dataHome(at)).toBe(join('L', 'NN Builder'));
  });
});

describe('a run named on the command line', () => {
  const runs = mkdtempSync(join(tmpdir(), 'nnb-runs-'));
  mkdirSync(join(runs, 'run-1'));

  it('a bare id is found in the runs folder; paths and unknown names stay as given', () => {
    expect(resolveRunArg('run-1', runs)).toBe(join(runs, 'run-1'));
    expect(resolveRunArg(runs, runs)).toBe(runs);
    expect(resolveRunArg('run-2', runs)).toBe('run-2');
    expect(resolveRunArg('sub/run-1', runs)).toBe('sub/run-1');
  });
});

/** `nnb` as a user runs it from the checkout, with `home` as the home folder. */
function nnbAt(home: string, ...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1' };
  delete env.XDG_DATA_HOME;
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'nnb.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Untracked, not ignored files of the checkout: where a stray run folder would show. */
function untracked(): string[] {
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], {
    cwd: ROOT,
    encoding: 'utf8',
  }).stdout;
  return status.split('\n').filter((line) => line.startsWith('??'));
}

describe('nnb train without --out', () => {
  it('writes the run to the data folder, not the checkout; export finds it by id', () => {
    const home = mkdtempSync(join(tmpdir(), 'nnb-home-'));
    const before = untracked();
    const train = nnbAt(
      home,
      'train',
      'templates/mlp-digits.nnb.json',
      '--epochs=1',
      '--max-samples=100',
      '--backend=cpu',
    );
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    expect(untracked().filter((line) => !before.includes(line))).toEqual([]);

    const runsDir = join(home, '.local', 'share', 'nn-builder', 'runs');
    const [runId, ...others] = readdirSync(runsDir);
    expect(others).toEqual([]);
    expect(train.stdout).toContain(join(runsDir, runId!));

    const out = mkdtempSync(join(tmpdir(), 'nnb-export-'));
    const exported = nnbAt(home, 'export', runId!, '--format=onnx', `--out=${out}`);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(readdirSync(out)).toContain('model.onnx');
  });
});
