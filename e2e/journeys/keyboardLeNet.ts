import { expect, type Page } from '@playwright/test';
import { screenshot } from './helpers';

/** LeNet-5 as typed: each layer's palette search and the fields it changes from its starter. */
const LENET: readonly (readonly [string, Readonly<Record<string, string>>])[] = [
  ['Input', {}],
  ['Conv2d', { out_channels: '6', kernel_size: '5', padding: '2' }],
  ['ReLU', {}],
  ['MaxPool2d', { kernel_size: '2' }],
  ['Conv2d', { out_channels: '16', kernel_size: '5' }],
  ['ReLU', {}],
  ['MaxPool2d', { kernel_size: '2' }],
  ['Flatten', {}],
  ['Linear', { out_features: '120' }],
  ['ReLU', {}],
  ['Linear', { out_features: '84' }],
  ['ReLU', {}],
  ['Linear', { out_features: '10' }],
];

/** The test id of the focused element (or its tag), as the keyboard sees it. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el?.getAttribute('data-testid') ?? el?.tagName.toLowerCase() ?? '';
  });
}

/** Presses Tab until the field `testId` has the focus (at most 20 times). */
async function tabTo(page: Page, testId: string): Promise<void> {
  for (let i = 0; i < 20 && (await focused(page)) !== testId; i++) await page.keyboard.press('Tab');
  expect(await focused(page), `Tab reaches ${testId}`).toBe(testId);
}

/**
 * The keyboard journey: LeNet-5 from an empty canvas with the keyboard only — Ctrl+K to the layer search,
 * type, ↓ to the right match, Enter adds it after the selected node and wires it; Escape leaves
 * the search, Enter opens the selected node's parameters, Tab walks them; then the arrow keys
 * walk the selection along the edges.
 */
export async function buildLeNetByKeyboard(page: Page): Promise<void> {
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  const search = page.getByTestId('palette-search');
  let count = 0;
  for (const [type, params] of LENET) {
    await page.keyboard.press('Control+k');
    await expect(search).toBeFocused();
    await page.keyboard.type(type.toLowerCase());
    const active = page.locator('.palette [role="option"][aria-selected="true"]');
    for (let i = 0; i < 8; i++) {
      if ((await active.getAttribute('data-testid')) === `palette-item-${type}`) break;
      await page.keyboard.press('ArrowDown');
    }
    await expect(active).toHaveAttribute('data-testid', `palette-item-${type}`);
    await page.keyboard.press('Enter');
    await expect(page.locator('.react-flow__node')).toHaveCount(++count);
    await expect(page.locator('.react-flow__edge')).toHaveCount(count - 1);
    await expect(search).toHaveValue('');
    if (Object.keys(params).length === 0) continue;
    await page.keyboard.press('Escape');
    await expect(search).not.toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-testid="inspector"] input:focus')).toHaveCount(1);
    for (const [name, value] of Object.entries(params)) {
      await tabTo(page, `param-${name}`);
      await page.keyboard.press('Control+a');
      await page.keyboard.type(value);
    }
    if (type === 'Conv2d' && count === 2) await screenshot(page, 'a11y-keyboard-param-focus');
  }

  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
  await expect(page.getByTestId('summary-total-macs')).toHaveText('416,520');
  await expect(page.getByTestId('diagnostics').locator('li')).toHaveCount(0);
  const graph = await page.evaluate(() => window.nnb.getGraph());
  expect(graph.edges.map((e) => `${e.source}→${e.target}`)).toEqual([
    'input→conv1',
    'conv1→relu1',
    'relu1→pool1',
    'pool1→conv2',
    'conv2→relu2',
    'relu2→pool2',
    'pool2→flatten1',
    'flatten1→fc1',
    'fc1→relu3',
    'relu3→fc2',
    'fc2→relu4',
    'relu4→fc3',
  ]);

  // The arrow keys walk the selection along the edges (out of any field: Escape leaves it).
  await page.keyboard.press('Control+k');
  await expect(search).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(search).not.toBeFocused();
  const selected = page.locator('.react-flow__node.selected');
  await expect(selected).toHaveAttribute('data-id', 'fc3');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(selected).toHaveAttribute('data-id', 'fc2');
  await expect(page.getByTestId('inspector')).toContainText('fc2');
  await page.keyboard.press('ArrowDown');
  await expect(selected).toHaveAttribute('data-id', 'relu4');
  await screenshot(page, 'a11y-keyboard-lenet');
  // Up to the Input, above the fold: the view follows the selection.
  for (let i = 0; i < 11; i++) await page.keyboard.press('ArrowUp');
  await expect(selected).toHaveAttribute('data-id', 'input');
  await expect(page.getByTestId('node-input')).toBeInViewport({ ratio: 0.95 });

  // One Ctrl+Z takes back the last layer's parameter, the next the layer and its edge together.
  await page.keyboard.press('Control+k');
  await expect(search).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(search).not.toBeFocused();
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(12);
  await expect(page.locator('.react-flow__edge')).toHaveCount(11);
  await page.keyboard.press('Control+y');
  await page.keyboard.press('Control+y');
  await expect(page.getByTestId('summary-total-params')).toHaveText('61,706');
}
