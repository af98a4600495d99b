import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { E2E_TOKEN } from '../../playwright.config';

export const SCREENSHOTS = join('test-results', 'screenshots');

/** Saves a full-window screenshot as test-results/screenshots/<name>.png (looked at by people). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Opens the app as a user does: the server's printed address, with its token. */
export async function openApp(page: Page): Promise<void> {
  await page.goto(`/?token=${E2E_TOKEN}`);
}

/**
 * Makes the app use its portable file paths (a hidden file input, a download) instead of the
 * File System Access pickers, which a headless browser cannot answer.
 */
export async function withoutFilePickers(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    delete w.showOpenFilePicker;
    delete w.showSaveFilePicker;
  });
}

/** Drags a palette item onto the canvas, dropping it at (x, y) in canvas pixels. */
export async function dragLayer(page: Page, type: string, x: number, y: number): Promise<void> {
  await page.getByTestId('palette-search').fill('');
  await page
    .getByTestId(`palette-item-${type}`)
    .dragTo(page.getByTestId('canvas'), { targetPosition: { x, y } });
}

function handle(page: Page, id: string, kind: 'source' | 'target'): Locator {
  return page.getByTestId(`node-${id}`).locator(`.react-flow__handle.${kind}`);
}

/** Connects two nodes by dragging from the source's bottom handle to the target's top handle. */
export async function connect(page: Page, source: string, target: string): Promise<void> {
  const edges = page.locator('.react-flow__edge');
  const before = await edges.count();
  await dragHandle(page, source, target);
  await expect(edges, `edge ${source} → ${target}`).toHaveCount(before + 1);
}

/** Drags from the source's output handle to the target's input handle (the edge may be refused). */
export async function dragHandle(page: Page, source: string, target: string): Promise<void> {
  const from = await handle(page, source, 'source').boundingBox();
  const to = await handle(page, target, 'target').boundingBox();
  if (!from || !to) throw new Error(`handles of ${source} → ${target} are not on screen`);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2, { steps: 2 });
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 });
  await expect(page.locator('.react-flow__connectionline')).toBeVisible();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** Selects a node by clicking its title, then sets parameters in the inspector. */
export async function setParams(
  page: Page,
  id: string,
  params: Record<string, string>,
): Promise<void> {
  await page.getByTestId(`node-${id}`).locator('.layer-node__head').click();
  await expect(page.getByTestId('inspector').getByTestId('node-name')).toHaveValue(id);
  for (const [name, value] of Object.entries(params)) {
    const field = page.getByTestId(`param-${name}`);
    await field.fill(value);
    await expect(field).toHaveAttribute('aria-invalid', 'false');
  }
}

/** Opens a template from the gallery. */
export async function openTemplate(page: Page, name: string): Promise<void> {
  await page.getByTestId('open-templates').click();
  await page.getByTestId(`template-${name}`).click();
  // A graph template is fetched, then laid out (elk, in a worker) before it is shown: wait for it.
  // (Lessons open in the compare view instead.)
  if (!name.startsWith('lesson-')) {
    await expect(page.getByTestId('document-title')).toContainText(name);
    await expect(page.getByTestId('auto-layout')).not.toHaveAttribute('aria-busy', 'true');
    // Then the view fits the graph (a short animation): clicks wait until the nodes stop moving.
    await expect(page.getByTestId('canvas')).toHaveAttribute('aria-busy', 'false');
  }
}

/** Draws a "7" on the pad with the mouse: a top bar, then a diagonal down to the left. */
export async function drawSeven(page: Page): Promise<void> {
  const pad = page.getByTestId('draw-pad-canvas');
  const box = await pad.boundingBox();
  if (!box) throw new Error('the drawing pad is not on screen');
  const at = (fx: number, fy: number) => [box.x + fx * box.width, box.y + fy * box.height] as const;
  await page.mouse.move(...at(0.28, 0.25));
  await page.mouse.down();
  await page.mouse.move(...at(0.72, 0.25), { steps: 10 });
  await page.mouse.move(...at(0.45, 0.8), { steps: 14 });
  await page.mouse.up();
}
