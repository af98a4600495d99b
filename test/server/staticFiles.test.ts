import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../../src/server/webServer.js';
import { rendererFolder, startTestServer } from './serverHarness.js';

// Issue 16: the static server followed symlinks out of the renderer folder.

const SECRET = 'the-secret-outside-the-renderer';
const outside = mkdtempSync(join(tmpdir(), 'nnb-outside-'));
writeFileSync(join(outside, 'secret.txt'), SECRET);
mkdirSync(join(outside, 'dir'));
writeFileSync(join(outside, 'dir', 'secret.js'), SECRET);

const root = rendererFolder();
symlinkSync(join(outside, 'secret.txt'), join(root, 'assets', 'leak.txt'));
symlinkSync(join(outside, 'secret.txt'), join(root, 'leak'));
symlinkSync(join(outside, 'dir'), join(root, 'linked'));
// A link that stays inside the folder is fine.
symlinkSync(join(root, 'assets', 'app.js'), join(root, 'alias.js'));
// The renderer folder itself reached through a link: its real path is the root.
const linkedRoot = join(mkdtempSync(join(tmpdir(), 'nnb-linkroot-')), 'renderer');
symlinkSync(root, linkedRoot);

let server: WebServer;
beforeAll(async () => {
  ({ server } = await startTestServer({ rendererDir: linkedRoot }));
});
afterAll(() => server.close());

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(new URL(path, server.url), (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('static files and symlinks', () => {
  it.each(['/assets/leak.txt', '/linked/secret.js'])('never serves %s', async (path) => {
    const reply = await get(path);
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain(SECRET);
  });

  it('answers an extension-less link out of the folder with the app page, not the file', async () => {
    const reply = await get('/leak');
    expect(reply.body).not.toContain(SECRET);
    expect(reply.body).toContain('NN Builder');
  });

  it('serves files and links inside the folder, through a linked root too', async () => {
    expect(await get('/assets/app.js')).toEqual({ status: 200, body: 'console.log(1)' });
    expect(await get('/alias.js')).toEqual({ status: 200, body: 'console.log(1)' });
    expect((await get('/')).body).toContain('NN Builder');
  });
});
