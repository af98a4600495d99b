import { expect, type Page } from '@playwright/test';
import { openTemplate, screenshot } from './helpers';

/** Journey 6: duplicate, copy/paste, delete, undo, move, help overlay — all from the keyboard. */
export async function editingComforts(page: Page): Promise<void> {
  await openTemplate(page, 'lenet-5');
  const nodes = page.locator('.react-flow__node');
  await expect(nodes).toHaveCount(13);

  await page.getByTestId('node-relu1').locator('.layer-node__head').click();
  await page.keyboard.press('Control+d');
  await expect(page.getByTestId('node-relu5')).toBeVisible();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('node-relu5')).toHaveCount(0);

  // Multi-select with Ctrl+click, then copy and paste: the edge between them comes along.
  // First the whole graph in view, settled: fc2 and relu4 sit below the fold, and a click on a
  // node outside the pane makes the browser scroll the (overflow: hidden) canvas under it.
  await page.getByTestId('fit-view').click();
  await expect(page.getByTestId('node-relu4')).toBeInViewport();
  await expectViewportSettled(page);
  await page.getByTestId('node-fc2').locator('.layer-node__head').click();
  await page
    .getByTestId('node-relu4')
    .locator('.layer-node__head')
    .click({ modifiers: ['Control'] });
  await expect(page.getByTestId('inspector')).toContainText('2 nodes selected');
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(nodes).toHaveCount(15);
  const graph = await page.evaluate(() => window.nnb.getGraph());
  expect(graph.edges.at(-1)).toEqual({ source: 'fc4', target: 'relu5' });
  await page.keyboard.press('Control+z');
  await expect(nodes).toHaveCount(13);

  // Dragging a node moves it; one undo puts it back.
  const node = page.getByTestId('node-conv1');
  const before = (await node.boundingBox()) ?? { x: 0, y: 0, width: 0, height: 0 };
  const grab = { x: before.x + 20, y: before.y + 12 };
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  await page.mouse.move(grab.x + 240, grab.y + 40, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await node.boundingBox())?.x).toBeGreaterThan(before.x + 200);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await node.boundingBox())?.x).toBeCloseTo(before.x, 0);

  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await screenshot(page, '6-shortcuts');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
}

/** Waits until the canvas' pan/zoom transform stops changing (fit views animate for 150 ms). */
async function expectViewportSettled(page: Page): Promise<void> {
  const transform = () =>
    page.locator('.react-flow__viewport').evaluate((el) => getComputedStyle(el).transform);
  let last = await transform();
  await expect(async () => {
    await page.waitForTimeout(100);
    const now = await transform();
    const same = now === last;
    last = now;
    expect(same).toBe(true);
  }).toPass({ timeout: 5_000 });
}
