import { expect, test, type Page } from '@playwright/test';
import { availableParallelism } from 'node:os';
import { expectNoSeriousViolations } from './journeys/axeScan';
import { setSetting } from './journeys/compareTrain';
import { openApp, openTemplate, screenshot, withoutFilePickers } from './journeys/helpers';

// The rough edges of issue 15, item 5 (and item 3's Stop): the system clipboard, expanding a
// block in place, the Profile's Stop, Train all in parallel.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test.beforeEach(async ({ page }) => {
  await withoutFilePickers(page);
  await openApp(page);
});

const clipboardText = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

test('copy and paste nodes through the system clipboard, as JSON a text editor can read', async ({
  page,
}) => {
  await openTemplate(page, 'lenet-5');
  await page.getByTestId('node-conv2').locator('.layer-node__head').click();
  await page
    .getByTestId('node-relu2')
    .locator('.layer-node__head')
    .click({ modifiers: ['Control'] });
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(2);
  await page.keyboard.press('Control+C');
  await expect(page.getByTestId('notice')).toContainText('Copied 2 nodes and 1 edge');
  const text = await clipboardText(page);
  expect(JSON.parse(text)).toMatchObject({
    format: 'nnb-fragment',
    version: 1,
    nodes: [
      { id: 'conv2', type: 'Conv2d' },
      { id: 'relu2', type: 'ReLU' },
    ],
    edges: [{ source: 'conv2', target: 'relu2' }],
  });

  // Pasted on the canvas: new ids, wired to each other, selected, offset from the originals.
  await page.keyboard.press('Control+V');
  await expect(page.getByTestId('node-conv3')).toBeVisible();
  await expect(page.getByTestId('node-relu5')).toBeVisible();
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(2);
  const box = async (id: string) => (await page.getByTestId(`node-${id}`).boundingBox())!;
  const [original, copy] = [await box('conv2'), await box('conv3')];
  expect(copy.x).toBeGreaterThan(original.x);
  expect(copy.y).toBeGreaterThan(original.y);
  await screenshot(page, 'rough-paste-nodes');

  // The same clipboard pasted into a text field is the readable JSON, untouched by the editor.
  await page.getByTestId('node-conv3').locator('.layer-node__head').click();
  await page.keyboard.press('Escape');
  await page.evaluate(() => {
    const area = document.createElement('textarea');
    area.id = 'scratch';
    area.setAttribute('aria-label', 'scratch text editor');
    Object.assign(area.style, {
      position: 'fixed',
      left: '20px',
      top: '80px',
      width: '420px',
      height: '600px',
      zIndex: '9999',
    });
    document.body.append(area);
  });
  const area = page.locator('#scratch');
  await area.focus();
  await page.keyboard.press('Control+V');
  await expect(area).toHaveValue(/"format": "nnb-fragment"/);
  expect(await area.inputValue()).toBe(text);
  await screenshot(page, 'rough-paste-as-text');

  // Text that is not a fragment: refused with a notice, the graph unchanged.
  await area.fill('conv2 -> relu2, please');
  await area.selectText();
  await page.keyboard.press('Control+C');
  await page.evaluate(() => document.getElementById('scratch')?.remove());
  const nodes = await page.locator('.react-flow__node').count();
  await page.getByTestId('node-fc1').locator('.layer-node__head').click();
  await page.keyboard.press('Control+V');
  await expect(page.getByTestId('notice')).toContainText(
    'Nothing pasted. The clipboard holds text, not NN Builder nodes ("conv2 -> relu2, please")',
  );
  await expect(page.locator('.react-flow__node')).toHaveCount(nodes);
  await screenshot(page, 'rough-paste-refused');

  // Cut: the nodes leave the canvas and come back with their own ids on paste.
  await page.getByTestId('node-fc3').locator('.layer-node__head').click();
  await page.keyboard.press('Control+X');
  await expect(page.getByTestId('node-fc3')).toHaveCount(0);
  await page.keyboard.press('Control+V');
  await expect(page.getByTestId('node-fc3')).toBeVisible();
});

test('the inspect views drop outdated requests: clicking through nodes ends on the last one', async ({
  page,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await openTemplate(page, 'resnet-18');
  await page.getByTestId('tab-inspect').click();
  const select = (id: string) =>
    page.getByTestId(`node-${id}`).locator('.layer-node__head').click();
  await select('conv1');
  const maps = page.getByTestId('feature-maps');
  await expect(maps.getByTestId('feature-maps-channels')).toHaveText(/^64 channels/, {
    timeout: 60_000,
  });
  // Each click supersedes the last in the view's lane; only the last one's maps may show.
  await page.getByTestId('inspect-samples').locator('button').nth(1).click();
  for (const id of ['bn1', 'relu', 'maxpool', 'layer1_0', 'layer1_1', 'conv1']) await select(id);
  await page.getByTestId('inspect-samples').locator('button').nth(2).click();
  await select('maxpool');
  await expect(maps).toHaveAttribute('aria-busy', 'false', { timeout: 60_000 });
  await expect(maps.getByTestId('feature-maps-channels')).toHaveText(/^64 channels of 56×56/);
  await expect(maps.locator('h3')).toHaveText('Feature maps · maxpool');
  await screenshot(page, 'rough-inspect-last-request');
  expect(pageErrors).toEqual([]);
});

test('Profile has a Stop that ends a running profile cleanly', async ({ page }) => {
  await openTemplate(page, 'resnet-18');
  const run = page.getByTestId('profile-run');
  await run.click();
  const stop = page.getByTestId('profile-stop');
  await expect(stop).toBeVisible();
  await expect(run).toBeDisabled();
  await expect(page.getByTestId('profile-status')).toContainText('Measuring each layer');
  await screenshot(page, 'rough-profile-running');
  await expectNoSeriousViolations(page, 'a profile running, with its Stop button');
  await stop.click();
  await expect(stop).toHaveCount(0);
  await expect(run).toBeEnabled();
  await expect(run).toHaveText('Profile');
  await expect(run).toBeFocused();
  await expect(page.getByTestId('profile-status')).toHaveCount(0);
  await expect(page.getByTestId('profile-error')).toHaveCount(0);
  await screenshot(page, 'rough-profile-stopped');

  // The engine is free again: a small network's profile runs to its end.
  await openTemplate(page, 'lenet-5');
  await run.click();
  await expect(page.getByTestId('profile-panel')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('profile-error')).toHaveCount(0);
  await expect(page.getByTestId('node-latency-conv1')).toBeVisible();
});

test('a ResidualBlock opens in place: an inner layer has its receptive field and Explain', async ({
  page,
}) => {
  await openTemplate(page, 'resnet-18');
  const block = page.getByTestId('node-layer1_0');
  // Pan the canvas up by dragging its background, so the block and its list are in full view.
  const canvas = (await page.getByTestId('canvas').boundingBox())!;
  await page.mouse.move(canvas.x + 120, canvas.y + 450);
  await page.mouse.down();
  await page.mouse.move(canvas.x + 220, canvas.y + 150, { steps: 8 });
  await page.mouse.up();
  await page.getByTestId('block-expand-layer1_0').click();
  await expect(page.getByTestId('block-expand-layer1_0')).toHaveAttribute('aria-expanded', 'true');
  const conv2 = block.getByTestId('block-inner-layer1_0/conv2');
  await expect(conv2).toContainText('64×56×56');
  await expect(conv2).toContainText('RF 27');
  await conv2.click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inner-id')).toHaveText('layer1_0/conv2');
  await expect(inspector.getByTestId('inner-rf')).toHaveText('27');
  // The receptive field of one of its units on the 224×224 input, and the layer explained.
  await expect(inspector.getByTestId('rf-size')).toHaveText('27');
  await expect(inspector.getByTestId('rf-jump')).toHaveText('4');
  await expect(inspector.getByTestId('explain')).toContainText('Explain · Conv2d');
  await expect(inspector.getByTestId('explain-rf-result')).toContainText('27');
  await expect(conv2).toHaveAttribute('aria-pressed', 'true');
  await screenshot(page, 'rough-block-inner-conv2');
  await expectNoSeriousViolations(page, 'a ResidualBlock opened in place, an inner layer shown');
  await inspector.getByTestId('explain').scrollIntoViewIfNeeded();
  await inspector.getByTestId('rf-overlay').scrollIntoViewIfNeeded();
  await screenshot(page, 'rough-block-inner-rf');

  // The Inspector's own list reaches the others; Back returns to the block.
  await inspector.getByTestId('inner-back').click();
  await expect(inspector.getByTestId('inside-block')).toBeVisible();
  await inspector.getByTestId('block-inner-layer1_0/conv1').click();
  await expect(inspector.getByTestId('inner-id')).toHaveText('layer1_0/conv1');
  await expect(inspector.getByTestId('rf-size')).toHaveText('19');
  // Selecting another node lets go of the inner layer.
  await page.getByTestId('node-maxpool').locator('.layer-node__head').click();
  await expect(inspector.getByTestId('inner-inspector')).toHaveCount(0);
  await page.getByTestId('block-expand-layer1_0').click();
  await expect(block.getByTestId('block-inner-layer1_0/conv2')).toHaveCount(0);
});

test('a Bottleneck opens in place too', async ({ page }) => {
  await page.evaluate(() =>
    window.nnb.loadGraph({
      format: 'nnb-graph',
      version: 2,
      name: 'bottleneck',
      nodes: [
        { id: 'input', type: 'Input', params: { shape: [3, 32, 32] } },
        { id: 'stem', type: 'Conv2d', params: { out_channels: 64, kernel_size: 3, padding: 1 } },
        { id: 'neck', type: 'Bottleneck', params: { planes: 16, stride: 2 } },
      ],
      edges: [
        { source: 'input', target: 'stem' },
        { source: 'stem', target: 'neck' },
      ],
    }),
  );
  await expect(page.getByTestId('node-neck')).toBeVisible();
  await page.getByTestId('block-expand-neck').click();
  await page.getByTestId('node-neck').getByTestId('block-inner-neck/conv2').click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector.getByTestId('inner-id')).toHaveText('neck/conv2');
  // stem 3 → 3×3 stride-2 conv2: 3 + 2·1 = 5 pixels.
  await expect(inspector.getByTestId('rf-size')).toHaveText('5');
  await expect(inspector.getByTestId('explain')).toContainText('Explain · Conv2d');
  await screenshot(page, 'rough-bottleneck-inner');
});

test('Train all trains the variants side by side when the host has the cores', async ({ page }) => {
  // The host's width for a Train all: NNB_TRAIN_GROUP_RUNS, else cores − 1 (TrainingService).
  const set = Number(process.env.NNB_TRAIN_GROUP_RUNS);
  const width = Number.isInteger(set) && set >= 1 ? set : Math.max(1, availableParallelism() - 1);
  await openTemplate(page, 'mlp-digits');
  await openTemplate(page, 'lesson-fc-vs-gap-head');
  await page.getByTestId('compare-add-editor').click();
  await expect(page.getByTestId('variant-2')).toBeVisible();
  await setSetting(page, 'epochs', '1');
  await setSetting(page, 'maxTrainSamples', '1024');
  // How many variants train at the same moment, sampled in the page every 50 ms.
  await page.evaluate(() => {
    const w = window as unknown as { mostRunning: number };
    w.mostRunning = 0;
    setInterval(() => {
      const running = document.querySelectorAll(
        '[data-testid^="variant-status-"][data-status="running"]',
      );
      w.mostRunning = Math.max(w.mostRunning, running.length);
    }, 50);
  });
  await page.getByTestId('compare-train-all').click();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { mostRunning: number }).mostRunning), {
      timeout: 120_000,
    })
    .toBe(Math.min(3, width));
  await page.evaluate(() =>
    document.querySelector('[data-testid="variant-0"]')?.scrollIntoView({ block: 'start' }),
  );
  await screenshot(page, 'rough-train-all-side-by-side');
  for (const i of [0, 1, 2])
    await expect(page.getByTestId(`variant-status-${i}`)).toHaveAttribute(
      'data-status',
      'completed',
      { timeout: 240_000 },
    );
  expect(
    await page.evaluate(() => (window as unknown as { mostRunning: number }).mostRunning),
  ).toBe(Math.min(3, width));
  await screenshot(page, 'rough-train-all-done');
});
