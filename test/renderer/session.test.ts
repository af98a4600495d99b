import { describe, expect, it } from 'vitest';
import { emptyGraph } from '../../src/core/graph/document';
import { addRecent, readRecent } from '../../renderer/files/recentFiles';
import { readSession, SESSION_KEY, writeSession } from '../../renderer/files/session';

/** An in-memory Storage with a quota, like localStorage's. */
function memoryStorage(quota = Infinity) {
  const items = new Map<string, string>();
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (v.length > quota) throw new DOMException('quota', 'QuotaExceededError');
      items.set(k, v);
    },
    items,
  };
}

describe('autosaved session', () => {
  it('round-trips the document, file and undo steps', () => {
    const storage = memoryStorage();
    const doc = { ...emptyGraph('mine'), nodes: [{ id: 'input', type: 'Input' }] };
    writeSession(storage, {
      doc,
      fileName: 'mine.nnb.json',
      filePath: null,
      dirty: true,
      savedAt: 5,
      past: [emptyGraph()],
    });
    expect(readSession(storage)).toEqual({
      doc,
      fileName: 'mine.nnb.json',
      filePath: null,
      dirty: true,
      savedAt: 5,
      past: [emptyGraph()],
    });
  });

  it('drops undo steps before the document when space runs short', () => {
    const storage = memoryStorage();
    const big = { ...emptyGraph(), description: 'x'.repeat(300_000) };
    writeSession(storage, {
      doc: emptyGraph(),
      fileName: 'a',
      filePath: null,
      dirty: false,
      savedAt: 0,
      past: Array(20).fill(big),
    });
    const session = readSession(storage);
    expect(session?.doc).toEqual(emptyGraph());
    expect(session?.past.length).toBeLessThan(20);
  });

  it('ignores a corrupt or foreign entry instead of failing to start', () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_KEY, '{"doc": {"format": "other"}}');
    expect(readSession(storage)).toBeUndefined();
    storage.setItem(SESSION_KEY, 'not json');
    expect(readSession(storage)).toBeUndefined();
    expect(readSession(memoryStorage())).toBeUndefined();
  });
});

describe('recent files', () => {
  it('keeps the newest first, without duplicates, at most 8', () => {
    const storage = memoryStorage();
    for (let i = 0; i < 10; i++)
      addRecent({ name: `n${i}.nnb.json`, path: null, text: '{}' }, storage);
    addRecent({ name: 'n5.nnb.json', path: null, text: '{"v":2}' }, storage);
    const list = readRecent(storage);
    expect(list.map((r) => r.name)).toEqual([
      'n5.nnb.json',
      'n9.nnb.json',
      'n8.nnb.json',
      'n7.nnb.json',
      'n6.nnb.json',
      'n4.nnb.json',
      'n3.nnb.json',
      'n2.nnb.json',
    ]);
    expect(list[0]?.text).toBe('{"v":2}');
  });

  it('lists desktop files by path, without a copy', () => {
    const storage = memoryStorage();
    addRecent({ name: 'a.nnb.json', path: '/home/u/a.nnb.json', text: '{}' }, storage);
    expect(readRecent(storage)[0]).toMatchObject({ path: '/home/u/a.nnb.json' });
    expect(readRecent(storage)[0]?.text).toBeUndefined();
  });
});
