import { _electron as electron, test, type ElectronApplication, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildLeNet } from './journeys/buildLeNet';
import { editingComforts } from './journeys/editingComforts';
import { fixLinearAfterConv } from './journeys/fixLinearAfterConv';
import { openResNet } from './journeys/openResNet';
import { trainLeNet } from './journeys/trainLeNet';

// The same journeys against the desktop app, through Playwright's Electron driver. Skipped,
// saying so, where Electron's binary is not installed (it cannot be downloaded on CI here).
// Journey 5 is web-only: it saves through the browser's download and reloads the page.
function electronBinary(): string | undefined {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const binary = electronBinary();
test.skip(
  binary === undefined,
  "Electron's binary is not installed here: desktop journeys skipped",
);

let app: ElectronApplication;
let page: Page;

test.beforeAll(() => {
  const built = spawnSync('npx', ['tsc', '-p', 'electron/tsconfig.json'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('compiling electron/ failed');
});

test.beforeEach(async () => {
  app = await electron.launch({
    executablePath: binary,
    args: [join('dist', 'electron', 'main.js')],
  });
  page = await app.firstWindow();
  await page.setViewportSize({ width: 1440, height: 900 });
  // A fresh window starts empty: forget the last session.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
});

test.afterEach(async () => {
  await app.close();
});

test('desktop 1 · build LeNet-5 by dragging and connecting', () => buildLeNet(page));
test('desktop 2 · Linear after a conv: error on the node, one-click fix', () =>
  fixLinearAfterConv(page));
test('desktop 3 · open the ResNet-18 template', () => openResNet(page));
test('desktop 4 · train LeNet-5 for one epoch', () => trainLeNet(page));
test('desktop 6 · editing comforts from the keyboard', () => editingComforts(page));
