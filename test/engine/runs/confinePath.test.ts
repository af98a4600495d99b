import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFolder } from '../../../src/engine/inspect/runFolder.js';
import {
  confinePath,
  isInside,
  PathConfinementError,
} from '../../../src/engine/runs/confinePath.js';

/** A temp tree: <base>/runs/run-a, <base>/runs/..hidden, <base>/runs-evil, <base>/outside/secret. */
function tree() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'nnb-confine-')));
  const runs = join(base, 'runs');
  mkdirSync(join(runs, 'run-a', 'last'), { recursive: true });
  mkdirSync(join(runs, '..hidden'));
  mkdirSync(join(base, 'runs-evil'));
  mkdirSync(join(base, 'outside', 'secret'), { recursive: true });
  writeFileSync(join(base, 'outside', 'secret', 'passwords.txt'), 'x');
  symlinkSync(join(base, 'outside'), join(runs, 'link-out'));
  symlinkSync(join(runs, 'run-a'), join(runs, 'link-in'));
  return { base, runs };
}

const run = { what: 'The run', allowRoot: false };

describe('confinePath', () => {
  it('returns the real path of a folder inside the root, relative or absolute', () => {
    const { runs } = tree();
    expect(confinePath(join(runs, 'run-a'), [runs], run)).toBe(join(runs, 'run-a'));
    expect(confinePath('run-a', [runs], run)).toBe(join(runs, 'run-a'));
    // A name that starts with two dots is inside, not a way up.
    expect(confinePath('..hidden', [runs], run)).toBe(join(runs, '..hidden'));
    // A link that stays inside resolves to where it points.
    expect(confinePath('link-in', [runs], run)).toBe(join(runs, 'run-a'));
  });

  it('refuses a way out by .., by a symlink, or by a sibling with the same prefix', () => {
    const { base, runs } = tree();
    for (const requested of [
      join(runs, '..', 'outside'),
      '../outside/secret',
      join(runs, 'link-out'),
      join(runs, 'link-out', 'secret'),
      join(base, 'runs-evil'),
      '/',
    ]) {
      expect(() => confinePath(requested, [runs], run), requested).toThrow(PathConfinementError);
      expect(() => confinePath(requested, [runs], run)).toThrow(/is not inside .*runs;/);
    }
  });

  it('accepts the root itself only when asked to', () => {
    const { runs } = tree();
    expect(() => confinePath(runs, [runs], run)).toThrow(/is not inside/);
    expect(confinePath(runs, [runs], { what: 'The dataset folder', allowRoot: true })).toBe(runs);
  });

  it('says "does not exist" only inside the root: outside, missing and present read the same', () => {
    const { base, runs } = tree();
    expect(() => confinePath('run-zzz', [runs], run)).toThrow('The run "run-zzz" does not exist.');
    const messageOf = (requested: string) => {
      try {
        confinePath(requested, [runs], run);
      } catch (error) {
        return (error as Error).message.replace(requested, '<path>');
      }
      return 'accepted';
    };
    const present = messageOf(join(runs, 'link-out', 'secret'));
    expect(messageOf(join(runs, 'link-out', 'no-such-folder'))).toBe(present);
    expect(messageOf(join(base, 'outside', 'no-such-folder'))).toBe(present);
    expect(present).not.toMatch(/passwords|exist/);
  });

  it('accepts a path in any of several roots, and names them and the hint when it is in none', () => {
    const { base, runs } = tree();
    const other = join(base, 'outside');
    const options = { what: 'The dataset folder', allowRoot: true, hint: 'Pick it in the app.' };
    expect(confinePath(join(other, 'secret'), [runs, other], options)).toBe(join(other, 'secret'));
    expect(() =>
      confinePath(join(base, 'runs-evil'), [runs, join(runs, 'run-a')], options),
    ).toThrow(
      `is not inside the folders chosen for it (${runs}, ${join(runs, 'run-a')}). Pick it in the app.`,
    );
    expect(() => confinePath(runs, [], options)).toThrow(/none has been chosen/);
  });

  it('compares case-insensitively only where the file system does', () => {
    expect(isInside('/data/Runs', '/data/runs/run-a', true)).toBe(true);
    expect(isInside('/data/Runs', '/data/runs/run-a', false)).toBe(false);
    expect(isInside('/data/runs', '/data/runs-evil', false)).toBe(false);
    expect(isInside('/data/runs', '/data/runs', false)).toBe(true);
  });

  it("confines the inspect views' run ids too: a run id that is a link out is refused", () => {
    const { runs } = tree();
    expect(runFolder(runs, 'run-a')).toBe(join(runs, 'run-a'));
    expect(runFolder(runs, 'link-in')).toBe(join(runs, 'run-a'));
    expect(() => runFolder(runs, 'link-out')).toThrow(/The run "link-out" is not inside/);
  });
});
