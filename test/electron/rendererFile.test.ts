import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererFile } from '../../electron/rendererFile.js';

// Which file app://nnb/… serves (appProtocol.ts answers 403 where this is null): only files of
// the built renderer, never one outside its folder.
const DIR = resolve('/opt/nn-builder/dist/renderer');

describe('app:// file resolution', () => {
  it.each([
    ['app://nnb/', 'index.html'],
    ['app://nnb/index.html', 'index.html'],
    ['app://nnb/assets/index-abc.js?v=1#x', join('assets', 'index-abc.js')],
    ['app://nnb/assets/a%20b.css', join('assets', 'a b.css')],
    ['app://nnb/assets/../index.html', 'index.html'],
  ])('%s → %s', (url, file) => {
    expect(rendererFile(DIR, url)).toBe(join(DIR, file));
  });

  // `..` stops at the renderer folder: these name files inside it that do not exist (404).
  it.each([
    ['a parent folder', 'app://nnb/../../../etc/passwd', join('etc', 'passwd')],
    ['an encoded parent folder', 'app://nnb/..%2F..%2F..%2Fetc%2Fpasswd', join('etc', 'passwd')],
    ['an encoded dot-dot', 'app://nnb/%2e%2e/%2e%2e/secret', 'secret'],
    [
      'a sibling folder with the same prefix',
      'app://nnb/..%2Frenderer-evil%2Fx.js',
      join('renderer-evil', 'x.js'),
    ],
  ])('keeps %s inside the folder', (_what, url, file) => {
    const resolved = rendererFile(DIR, url);
    expect(resolved).toBe(join(DIR, file));
    expect(resolved?.startsWith(DIR + sep)).toBe(true);
  });

  it.each([
    ['another host', 'app://other/index.html'],
    ['a malformed escape', 'app://nnb/%E0%A4%A'],
    ['a NUL byte', 'app://nnb/index.html%00.png'],
    ['not a URL', 'index.html'],
  ])('refuses %s', (_what, url) => {
    expect(rendererFile(DIR, url)).toBeNull();
  });
});
