import { defineConfig } from '@playwright/test';

// End-to-end journeys in a real Chromium against web mode. Browsers cannot be downloaded here,
// so Debian's Chromium is used (`apt-get install chromium`); NNB_CHROMIUM points elsewhere.
const PORT = Number(process.env.NNB_E2E_PORT ?? 5197);
export const CHROMIUM = process.env.NNB_CHROMIUM ?? '/usr/bin/chromium';
// The test server's access token, known to the journeys (they open `/?token=…`, see openApp in
// e2e/journeys/helpers.ts); the server reads it from $NNB_TOKEN (`npm run web -- --help`).
// Not a secret: the test server runs on loopback for the length of the suite.
export const E2E_TOKEN = process.env.NNB_E2E_TOKEN ?? 'e2e-journeys-token-0123456789';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/e2e.json' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    // The README's run command: builds the renderer and serves it (runs kept in test-results).
    command: `npm run web -- --port ${PORT} --runs test-results/runs`,
    env: { NNB_TOKEN: E2E_TOKEN },
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    stdout: 'pipe',
  },
});
