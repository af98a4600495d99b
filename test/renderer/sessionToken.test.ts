import { describe, expect, it } from 'vitest';
import { sessionToken, TOKEN_KEY, type TokenPlace } from '../../renderer/api/sessionToken';

/** A tab: its address, its sessionStorage, and what replaceState put in the address bar. */
function tab(href: string, stored?: string) {
  const storage = new Map<string, string>(stored === undefined ? [] : [[TOKEN_KEY, stored]]);
  const shown: string[] = [];
  const place: TokenPlace = {
    href,
    storage: {
      getItem: (k) => storage.get(k) ?? null,
      setItem: (k, v) => void storage.set(k, v),
    },
    replaceUrl: (url) => void shown.push(url),
  };
  return { place, storage, shown };
}

describe('the web server token in the page', () => {
  it('is taken from the printed address, kept for the tab and removed from the address bar', () => {
    const t = tab('http://127.0.0.1:5178/?token=abc123&view=compare#x');
    expect(sessionToken(t.place)).toBe('abc123');
    expect(t.storage.get(TOKEN_KEY)).toBe('abc123');
    expect(t.shown).toEqual(['/?view=compare#x']);
  });

  it('survives a reload without the query (sessionStorage)', () => {
    const t = tab('http://127.0.0.1:5178/', 'abc123');
    expect(sessionToken(t.place)).toBe('abc123');
    expect(t.shown).toEqual([]);
  });

  it('a new address replaces an old token (the server restarted)', () => {
    const t = tab('http://127.0.0.1:5178/?token=new', 'old');
    expect(sessionToken(t.place)).toBe('new');
    expect(t.storage.get(TOKEN_KEY)).toBe('new');
  });

  it('is undefined when the page was opened without one', () => {
    expect(sessionToken(tab('http://127.0.0.1:5178/').place)).toBeUndefined();
    expect(sessionToken(tab('http://127.0.0.1:5178/?token=').place)).toBeUndefined();
  });
});
