import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expectNoSeriousViolations } from './axeScan';
import { openApp, openTemplate, screenshot, setParams } from './helpers';

const VERSIONS_KEY = 'nnb.versions.v1';

/** Trains the graph on screen briefly (2 epochs of 2,000 digits) and waits for the end. */
async function trainBriefly(page: Page, shot: string): Promise<void> {
  await page.getByTestId('tab-training').click();
  await page.getByTestId('train-epochs').fill('2');
  await page.getByTestId('train-max-samples').fill('2000');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveText('finished', { timeout: 180_000 });
  await screenshot(page, shot);
  await page.getByTestId('tab-summary').click();
}

/** Adds `type` after the selected node from the keyboard (Ctrl+K, type, Enter), as a user does. */
async function addAfterSelected(page: Page, type: string): Promise<void> {
  await page.keyboard.press('Control+k');
  await page.keyboard.type(type.toLowerCase());
  const active = page.locator('.palette [role="option"][aria-selected="true"]');
  for (let i = 0; i < 8; i++) {
    if ((await active.getAttribute('data-testid')) === `palette-item-${type}`) break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
}

/** The stored history's version numbers (what a reloaded or recovered page will read). */
function storedSeqs(page: Page): Promise<number[]> {
  return page.evaluate((key) => {
    const h = JSON.parse(localStorage.getItem(key) ?? '{"versions":[]}') as {
      versions: { seq: number }[];
    };
    return h.versions.map((v) => v.seq);
  }, VERSIONS_KEY);
}

async function openHistory(page: Page) {
  await page.getByTestId('history-open').click();
  const panel = page.getByTestId('history-panel');
  await expect(panel).toBeVisible();
  return panel;
}

/**
 * Version history linked to runs (issue 15, item 4): the MLP template edited in steps and trained
 * twice; the History panel lists the versions with their runs, two picked show the diff and
 * both runs' curves; the history survives a reload and a crash of the page.
 */
export async function versionHistory(page: Page): Promise<void> {
  // v1: the template as opened (a version at once). v2: a wider hidden layer, trained.
  await openTemplate(page, 'mlp-digits');
  await expect(page.getByTestId('summary-total-params')).toHaveText('23,860');
  await expect.poll(() => storedSeqs(page)).toEqual([1]);
  await setParams(page, 'fc1', { out_features: '64' });
  await expect(page.getByTestId('summary-total-params')).toHaveText('50,890');
  await trainBriefly(page, 'history-0-trained-v2');
  await expect.poll(() => storedSeqs(page)).toEqual([1, 2]);

  // v3: a Dropout after the Sigmoid (spliced into its edge), kept once the edit settles;
  // v4: a narrower hidden layer, trained at once (Train records the graph it sends).
  await page.getByTestId('node-sigmoid').locator('.layer-node__head').click();
  await addAfterSelected(page, 'Dropout');
  const dropout = await page.evaluate(
    () => window.nnb.getGraph().nodes.find((n) => n.type === 'Dropout')?.id,
  );
  expect(dropout).toBeDefined();
  await expect.poll(() => storedSeqs(page)).toEqual([1, 2, 3]);
  await page.getByTestId('fit-view').click();
  await setParams(page, 'fc1', { out_features: '48' });
  await expect(page.getByTestId('summary-total-params')).toHaveText('38,170');
  await trainBriefly(page, 'history-1-trained-v4');

  // The panel: newest first; v2 and v4 each with its run and final validation numbers.
  const panel = await openHistory(page);
  const versions = panel.locator('[data-testid^="history-version-"]');
  await expect(versions).toHaveCount(4);
  await expect(versions.first()).toHaveAttribute('data-testid', 'history-version-4');
  const v2 = page.getByTestId('history-version-2');
  const v4 = page.getByTestId('history-version-4');
  await expect(page.getByTestId('history-version-1')).toContainText('23,860 params');
  await expect(v2).toContainText('50,890 params');
  // v3: v2 plus a Dropout, which has no weights.
  await expect(page.getByTestId('history-version-3')).toContainText('50,890 params');
  await expect(v4).toContainText('38,170 params');
  // The graph on the canvas is v4.
  await expect(panel.locator('[data-current="true"]')).toHaveAttribute(
    'data-testid',
    'history-version-4',
  );
  for (const [seq, count] of [
    [1, '0'],
    [2, '1'],
    [3, '0'],
    [4, '1'],
  ] as const)
    await expect(page.getByTestId(`history-version-${seq}`)).toHaveAttribute('data-runs', count);
  const runs = panel.locator('[data-testid^="history-run-"][data-status="completed"]');
  await expect(runs).toHaveCount(2);
  for (const run of await runs.all()) {
    await expect(run).toContainText(/val acc \d+\.\d% · loss \d+\.\d{3}/);
    const accuracy = Number(await run.getAttribute('data-accuracy'));
    expect(accuracy).toBeGreaterThan(0.1);
    expect(accuracy).toBeLessThanOrEqual(1);
  }
  await screenshot(page, 'history-2-panel');

  // Pick v4 then v2: the diff reads v2 → v4 whichever order they were picked in.
  await v4.click();
  await v2.click();
  const diff = page.getByTestId('history-diff');
  await expect(diff).toBeVisible();
  await expect(diff.locator('h3')).toHaveText('v2 → v4');
  await expect(v2.locator('.history-version__pick')).toHaveText('before');
  await expect(v4.locator('.history-version__pick')).toHaveText('after');
  // fc1: 784·48+48 = 37,680 (was 50,240); fc2: 48·10+10 = 490 (was 650), its input now the Dropout.
  await expect(diff).toHaveAttribute('data-added', '1');
  await expect(diff).toHaveAttribute('data-removed', '0');
  await expect(diff).toHaveAttribute('data-changed', '2');
  await expect(page.getByTestId(`history-diff-node-${dropout}`)).toHaveAttribute(
    'data-change',
    'added',
  );
  const fc1 = page.getByTestId('history-diff-node-fc1');
  await expect(fc1).toContainText('out_features 64 → 48');
  await expect(fc1).toContainText('params 50,240 → 37,680 (-12,560)');
  const fc2 = page.getByTestId('history-diff-node-fc2');
  await expect(fc2).toContainText(`inputs sigmoid → ${dropout}`);
  await expect(fc2).toContainText('params 650 → 490');
  const params = page.getByTestId('history-diff-total-params');
  await expect(params).toHaveAttribute('data-before', '50890');
  await expect(params).toHaveAttribute('data-after', '38170');
  await expect(params).toContainText('-12,720');
  // Both runs' curves overlaid: train and validation per version.
  const curve = page.getByTestId('history-curve');
  await expect(curve).toHaveAttribute('data-series', '2');
  await expect(curve.locator('.u-legend .u-series th')).toHaveText([
    'epoch',
    'v2 · train',
    'v2 · validation',
    'v4 · train',
    'v4 · validation',
  ]);
  await screenshot(page, 'history-3-diff-loss');
  await page.getByTestId('history-metric-accuracy').click();
  await expect(curve).toHaveAttribute('data-series', '2');
  await screenshot(page, 'history-4-diff-accuracy');
  // axe-core on the panel (the page behind it is scanned by e2e/a11y.spec.ts).
  const scan = await new AxeBuilder({ page }).include('[data-testid="history-panel"]').analyze();
  const barriers = scan.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    barriers.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`),
  ).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
  // The whole editor after two trainings: the toolbar's finished-run progress text included.
  await expectNoSeriousViolations(page, 'the editor after two trainings');

  // A reload (the autosave): the versions, their runs and the diff are all still there.
  await expect.poll(() => storedSeqs(page)).toEqual([1, 2, 3, 4]);
  await page.reload();
  await expect(page.getByTestId('summary-total-params')).toHaveText('38,170');
  await openHistory(page);
  await expect(versions).toHaveCount(4);
  await expect(runs).toHaveCount(2);
  await page.getByTestId('history-version-1').click();
  await page.getByTestId('history-version-4').click();
  await expect(diff.locator('h3')).toHaveText('v1 → v4');
  await expect(page.getByTestId('history-curve')).toHaveAttribute('data-series', '1');
  await screenshot(page, 'history-5-after-reload');
  // Open an older version on the canvas: one undoable edit, undone by Ctrl+Z.
  await page.getByTestId('history-version-1').click();
  await page.getByTestId('history-version-4').click();
  await page.getByTestId('history-version-2').click();
  await page.getByTestId('history-open-version').click();
  await expect(panel).toBeHidden();
  await expect(page.getByTestId('summary-total-params')).toHaveText('50,890');
  await screenshot(page, 'history-5b-opened-v2');
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('summary-total-params')).toHaveText('38,170');

  // A crash: an edit (v5) settles and is written, then the page's renderer dies without any
  // unload handler; a new page on the same storage finds v5 and the runs.
  await setParams(page, 'fc1', { out_features: '40' });
  await expect.poll(() => storedSeqs(page), { timeout: 10_000 }).toEqual([1, 2, 3, 4, 5]);
  const context = page.context();
  const cdp = await context.newCDPSession(page);
  const crashed = page.waitForEvent('crash');
  // The command never answers: its page is gone.
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
  const next = await context.newPage();
  await openApp(next);
  await expect(next.getByTestId('summary-total-params')).toHaveText('31,810');
  await openHistory(next);
  await expect(next.locator('[data-testid^="history-version-"]')).toHaveCount(5);
  await expect(next.locator('[data-testid^="history-run-"][data-status="completed"]')).toHaveCount(
    2,
  );
  await expect(next.getByTestId('history-version-5')).toContainText('31,810 params');
  await expect(next.getByTestId('history-version-5')).toHaveAttribute('data-current', 'true');
  await screenshot(next, 'history-6-after-crash');
}
