import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/writeFileAtomic.js';

describe('writeFileAtomic', () => {
  it('replaces the content whole and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnb-atomic-'));
    const path = join(dir, 'graph.nnb.json');
    writeFileSync(path, 'old content that is longer than the new one');
    writeFileAtomic(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['graph.nnb.json']);
  });

  it('on failure keeps what was there, removes its temporary file and throws', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnb-atomic-'));
    const target = join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'kept');
    expect(() => writeFileAtomic(target, 'x')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('kept');
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(() => writeFileAtomic(join(dir, 'no', 'such', 'folder'), 'x')).toThrow(/ENOENT/);
  });
});
